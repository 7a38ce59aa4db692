// Kubernetes' `$(VAR)` expansion (third_party/forked/golang/expansion), used for env values, command and args:
// `$(NAME)` → the value when NAME is defined, else left as written; `$$` → `$`; anything else stays.
//
//   expandVars('$(A)-$$(A)-$(B)', { A: 'x' })   // → 'x-$(A)-$(B)'
export function expandVars(input: string, vars: Record<string, string> | Map<string, string>): string {
  const lookup = (name: string): string | undefined => (vars instanceof Map ? vars.get(name) : Object.hasOwn(vars, name) ? vars[name] : undefined);
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') {
      out += '$';
    } else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close < 0) {
        out += '$(';
      } else {
        const name = rest.slice(1, close);
        const v = lookup(name);
        out += v !== undefined ? v : `$(${name})`;
        advance = close + 1;
      }
    } else {
      out += `$${rest[0]}`;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}
