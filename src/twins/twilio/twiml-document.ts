// A strict, tiny XML reader for the TwiML the service returns: well-formed elements, attributes and text only.
// It never executes anything and never throws on input; a malformed document is Twilio's 12100 parse failure.
import { err, ok, type Result } from '../../shared/result.ts';

export type TwimlElement = {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly TwimlElement[];
  /** Concatenated text directly inside the element, trimmed. */
  readonly text: string;
};

export type TwimlDocument = { readonly root: TwimlElement; readonly source: string };

const NAME = /^[A-Za-z_][\w.-]*/;
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Parses a TwiML document whose root must be `<Response>`. */
export function parseTwiml(source: string): Result<TwimlDocument, string> {
  const reader = new XmlReader(source);
  const parsed = reader.readDocument();
  if (!parsed.ok) return parsed;
  if (parsed.value.name !== 'Response') return err(`root element is <${parsed.value.name}>, expected <Response>`);
  return ok({ root: parsed.value, source });
}

class XmlReader {
  readonly #text: string;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  readDocument(): Result<TwimlElement, string> {
    if (this.#text.startsWith('\uFEFF')) this.#at = 1;
    this.#skipWhitespace();
    if (this.#text.startsWith('<?xml', this.#at)) {
      const end = this.#text.indexOf('?>', this.#at);
      if (end < 0) return err('unterminated XML declaration');
      this.#at = end + 2;
    }
    const prolog = this.#skipMisc();
    if (!prolog.ok) return prolog;
    if (this.#text[this.#at] !== '<') return err(`expected the root element at offset ${this.#at}`);
    const root = this.#readElement(0);
    if (!root.ok) return root;
    const epilog = this.#skipMisc();
    if (!epilog.ok) return epilog;
    if (this.#at !== this.#text.length) return err(`unexpected content after the root element at offset ${this.#at}`);
    return root;
  }

  #skipWhitespace(): void {
    while (this.#at < this.#text.length && /\s/.test(this.#text[this.#at] ?? '')) this.#at++;
  }

  #skipMisc(): Result<true, string> {
    for (;;) {
      this.#skipWhitespace();
      if (this.#text.startsWith('<!--', this.#at)) {
        const end = this.#text.indexOf('-->', this.#at + 4);
        if (end < 0) return err('unterminated comment');
        this.#at = end + 3;
      } else if (this.#text.startsWith('<!', this.#at) && !this.#text.startsWith('<![CDATA[', this.#at)) {
        return err('DOCTYPE and other declarations are not allowed in TwiML');
      } else if (this.#text.startsWith('<?', this.#at)) {
        return err('processing instructions are not allowed in TwiML');
      } else {
        return ok(true);
      }
    }
  }

  #readName(): string | undefined {
    const match = NAME.exec(this.#text.slice(this.#at, this.#at + 200));
    if (!match) return undefined;
    this.#at += match[0].length;
    return match[0];
  }

  #readElement(depth: number): Result<TwimlElement, string> {
    if (depth > 32) return err('elements nested too deeply');
    this.#at++;
    const name = this.#readName();
    if (!name) return err(`invalid element name at offset ${this.#at}`);
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = this.#at;
      this.#skipWhitespace();
      if (this.#text.startsWith('/>', this.#at)) {
        this.#at += 2;
        return ok({ name, attributes, children: [], text: '' });
      }
      if (this.#text[this.#at] === '>') {
        this.#at++;
        break;
      }
      if (this.#at === before) return err(`expected whitespace before an attribute of <${name}>`);
      const attribute = this.#readAttribute(name);
      if (!attribute.ok) return attribute;
      if (Object.hasOwn(attributes, attribute.value[0])) return err(`duplicate attribute ${attribute.value[0]} on <${name}>`);
      attributes[attribute.value[0]] = attribute.value[1];
    }
    const children: TwimlElement[] = [];
    let text = '';
    for (;;) {
      if (this.#at >= this.#text.length) return err(`<${name}> is not closed`);
      if (this.#text.startsWith('</', this.#at)) {
        this.#at += 2;
        const closing = this.#readName();
        this.#skipWhitespace();
        if (closing !== name || this.#text[this.#at] !== '>') return err(`</${closing ?? ''}> does not close <${name}>`);
        this.#at++;
        return ok({ name, attributes, children, text: text.trim() });
      }
      if (this.#text.startsWith('<!--', this.#at)) {
        const end = this.#text.indexOf('-->', this.#at + 4);
        if (end < 0) return err('unterminated comment');
        this.#at = end + 3;
      } else if (this.#text.startsWith('<![CDATA[', this.#at)) {
        const end = this.#text.indexOf(']]>', this.#at);
        if (end < 0) return err('unterminated CDATA section');
        text += this.#text.slice(this.#at + 9, end);
        this.#at = end + 3;
      } else if (this.#text[this.#at] === '<') {
        const child = this.#readElement(depth + 1);
        if (!child.ok) return child;
        children.push(child.value);
      } else {
        const end = this.#text.indexOf('<', this.#at);
        const raw = this.#text.slice(this.#at, end < 0 ? this.#text.length : end);
        const decoded = decodeEntities(raw);
        if (!decoded.ok) return decoded;
        text += decoded.value;
        this.#at += raw.length;
      }
    }
  }

  #readAttribute(element: string): Result<[string, string], string> {
    const name = this.#readName();
    if (!name) return err(`invalid attribute on <${element}> at offset ${this.#at}`);
    this.#skipWhitespace();
    if (this.#text[this.#at] !== '=') return err(`attribute ${name} on <${element}> has no value`);
    this.#at++;
    this.#skipWhitespace();
    const quote = this.#text[this.#at];
    if (quote !== '"' && quote !== "'") return err(`attribute ${name} on <${element}> is not quoted`);
    const end = this.#text.indexOf(quote, this.#at + 1);
    if (end < 0) return err(`attribute ${name} on <${element}> is not terminated`);
    const raw = this.#text.slice(this.#at + 1, end);
    if (raw.includes('<')) return err(`attribute ${name} on <${element}> contains "<"`);
    this.#at = end + 1;
    const decoded = decodeEntities(raw);
    return decoded.ok ? ok([name, decoded.value]) : decoded;
  }
}

function decodeEntities(raw: string): Result<string, string> {
  let problem: string | undefined;
  const decoded = raw.replace(/&([^;\s&]*);?/g, (match, entity: string) => {
    if (!match.endsWith(';')) {
      problem ??= `bare "&" in "${raw.slice(0, 40)}"`;
      return match;
    }
    const named = ENTITIES[entity];
    if (named !== undefined) return named;
    const numeric = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(entity);
    if (numeric?.[1]) {
      const code = numeric[1].startsWith('x') ? Number.parseInt(numeric[1].slice(1), 16) : Number(numeric[1]);
      if (code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
    }
    problem ??= `unknown entity ${match}`;
    return match;
  });
  return problem === undefined ? ok(decoded) : err(problem);
}

/** The first child with this name, if any. */
export function childNamed(element: TwimlElement, name: string): TwimlElement | undefined {
  return element.children.find((child) => child.name === name);
}
