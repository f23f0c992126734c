// Every XML answer is a well-formed XML 1.0 document, whatever the values inside it: checked with saxes, a
// conforming non-validating parser that rejects characters XML does not allow (XML 1.0 §2.2).
import fc from "fast-check";
import { SaxesParser } from "saxes";
import t from "tap";
import { encodeBody } from "../src/middleware/wire.js";

/** The document's text content per element name, or the parser's first error. */
function parseXml(xml: string): Map<string, string[]> {
  const parser = new SaxesParser();
  const texts = new Map<string, string[]>();
  const open: string[] = [];
  parser.on("error", (e) => {
    throw e;
  });
  parser.on("opentag", (tag) => open.push(tag.name));
  parser.on("closetag", () => open.pop());
  parser.on("text", (text) => {
    const name = open.at(-1)!;
    texts.set(name, [...(texts.get(name) ?? []), text]);
  });
  parser.write(xml).close();
  return texts;
}

t.test("the parser used here does reject what XML forbids", async (t) => {
  t.throws(() => parseXml("<a>\u0001</a>"), /disallowed character/i);
  t.throws(() => parseXml("<a>&#x1;</a>"), /malformed character entity/i, "even as a character reference");
  t.throws(() => parseXml("<a>\uFFFE</a>"), /disallowed character/i);
});

t.test("control characters in a value become U+FFFD; tab, LF and markup survive", async (t) => {
  const value = "a\u0000b\u0008c\u000Bd\u001Fe\tf\ng<&>\"'h\uFFFFi\uD800j\uDFFFk\uD83D\uDE00";
  const { payload } = encodeBody({ RequestId: "r", Tags: { Tag: [{ Key: "k\u0007", Value: value }] } }, "XML", "ListTagResourcesResponse");
  const texts = parseXml(payload);
  t.same(texts.get("Key"), ["k\uFFFD"]);
  t.same(texts.get("Value"), ["a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\tf\ng<&>\"'h\uFFFDi\uFFFDj\uFFFDk\uD83D\uDE00"], "a valid surrogate pair is kept");
});

t.test("any string in any value gives a well-formed answer whose text reads back", async (t) => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme-ascii" }), (value, other) => {
      const { payload } = encodeBody({ Code: "InvalidParameter", Message: value, Items: [other, value] }, "XML", "Error");
      const texts = parseXml(payload);
      // Text comes back whole, with XML's line-end normalisation (CR and CR LF read as LF, §2.11).
      const expected = value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD").replace(/\r\n?/g, "\n");
      t.equal((texts.get("Message") ?? [""]).join(""), expected);
    }),
    { numRuns: 500 },
  );
});
