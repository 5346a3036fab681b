import { createRequire } from "node:module";

/**
 * The quote-prefix cell style (`<xf quotePrefix="1">` in styles.xml, ECMA-376
 * §18.8.45): the cell holds the text exactly as written, and a spreadsheet shows and
 * keeps it as text, never as a formula, without an apostrophe in the value.
 *
 * exceljs 4.4 reads and writes no quotePrefix (its StyleXform renders numFmt, font,
 * fill, border, alignment and protection only), so this adds it: a style model with
 * `quotePrefix: true` is registered as its own <xf> carrying the attribute. Importing
 * this module once installs it; it changes nothing for styles without the flag.
 */
type XmlStream = { openNode(name: string, attributes?: Record<string, unknown>): void };
type StyleModel = Record<string, unknown> & { quotePrefix?: boolean };
type StyleXformClass = { prototype: { render(xmlStream: XmlStream, model: StyleModel): void } };
type StylesXformClass = { prototype: { addStyleModel(model: StyleModel | undefined, cellType?: number): number; _addStyle(style: StyleModel): number } };

const require = createRequire(import.meta.url);
const StyleXform = require("exceljs/lib/xlsx/xform/style/style-xform.js") as StyleXformClass;
const StylesXform = require("exceljs/lib/xlsx/xform/style/styles-xform.js") as StylesXformClass;

const INSTALLED = Symbol.for("kap.exceljs.quotePrefix");
const marker = StylesXform.prototype as unknown as Record<symbol, boolean>;

if (!marker[INSTALLED]) {
  marker[INSTALLED] = true;

  const render = StyleXform.prototype.render;
  StyleXform.prototype.render = function (xmlStream, model) {
    if (!model?.quotePrefix) return render.call(this, xmlStream, model);
    // The <xf> element is opened first; add the attribute to it, then let exceljs write the rest.
    const open = xmlStream.openNode;
    xmlStream.openNode = function (name, attributes) {
      xmlStream.openNode = open;
      return open.call(this, name, name === "xf" ? { ...attributes, quotePrefix: "1" } : attributes);
    };
    try {
      render.call(this, xmlStream, model);
    } finally {
      xmlStream.openNode = open;
    }
  };

  // addStyleModel copies known properties only; carry the flag to the <xf> it registers.
  const addStyleModel = StylesXform.prototype.addStyleModel;
  const addStyle = StylesXform.prototype._addStyle;
  let pending = false;
  StylesXform.prototype.addStyleModel = function (model, cellType) {
    pending = Boolean(model?.quotePrefix);
    try {
      return addStyleModel.call(this, model, cellType);
    } finally {
      pending = false;
    }
  };
  StylesXform.prototype._addStyle = function (style) {
    return addStyle.call(this, pending ? { ...style, quotePrefix: true } : style);
  };
}

/** Whether a spreadsheet would read this text as the start of a formula (=, +, -, @, tab, CR). */
export function formulaLike(value: string): boolean {
  const first = value.charCodeAt(0);
  return first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13;
}
