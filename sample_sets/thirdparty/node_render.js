// Renders invoice PDFs with three npm invoice generators, for make_thirdparty.py.
//
//   NODE_PATH=/tmp/tp-gen/node_modules node node_render.js JOBS.json > PRINTED.json
//
// JOBS.json is a list of {generator, out, options...} objects made by make_thirdparty.py.
// Each job is passed to its generator as it is; the script prints, for each job, the values
// the generator computed itself (@h1dd3nsn1p3r/pdf-invoice computes its own line totals, tax
// and totals), so that the truth is what the PDF prints. Nothing here reaches the network.
"use strict";

const fs = require("fs");
const path = require("path");

// Every PDF writer here stamps the current time into the file (creation date, file id):
// freeze the clock so a rebuild writes the same bytes.
const FIXED_NOW = Date.UTC(2025, 0, 1, 0, 0, 0);
const RealDate = Date;
class FixedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(FIXED_NOW);
    else super(...args);
  }
  static now() {
    return FIXED_NOW;
  }
}
global.Date = FixedDate;

const MicroInvoice = require("microinvoice");
const { PDFInvoice } = require("@h1dd3nsn1p3r/pdf-invoice");
const pdfInvoiceHelper = require("@h1dd3nsn1p3r/pdf-invoice/dist/utils/helper.js");
const jsPDFInvoiceTemplate = require("jspdf-invoice-template-nodejs");

async function renderMicroinvoice(job) {
  const invoice = new MicroInvoice(job.options);
  await invoice.generate(job.out);
  return {};
}

async function renderPdfInvoice(job) {
  const payload = JSON.parse(JSON.stringify(job.payload));
  payload.invoice.path = job.out;
  const invoice = new PDFInvoice(payload, job.config);
  await invoice.create();
  // The numbers the library prints, computed by its own helper (the same code its bundle
  // inlines): formatCurrency(x) prints Number(x).toFixed(2) in the locale's style.
  const items = payload.items;
  const fixed = (x) => Number(x).toFixed(2);
  return {
    item_totals: items.map((item) => fixed(pdfInvoiceHelper.calcItemTotal(item))),
    item_prices: items.map((item) => fixed(item.price)),
    sub_total: fixed(pdfInvoiceHelper.calcSubTotal(items)),
    total_tax: fixed(pdfInvoiceHelper.calcTax(items)),
    grand_total: fixed(
      pdfInvoiceHelper.calcFinalTotal(items, payload.invoice.orderDiscount, payload.invoice.fee)
    ),
  };
}

async function renderJspdf(job) {
  const props = JSON.parse(JSON.stringify(job.props));
  props.outputType = "arraybuffer";
  props.onJsPDFDocCreation = (doc) => {
    doc.setCreationDate(new Date(FIXED_NOW));
    doc.setFileId("0123456789ABCDEF0123456789ABCDEF");
  };
  const result = jsPDFInvoiceTemplate.default(props);
  fs.writeFileSync(job.out, Buffer.from(result.arrayBuffer));
  return { pages: result.pagesNumber };
}

const RENDERERS = {
  microinvoice: renderMicroinvoice,
  "pdf-invoice": renderPdfInvoice,
  "jspdf-invoice-template": renderJspdf,
};

async function main() {
  const jobs = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const printed = [];
  for (const job of jobs) {
    fs.mkdirSync(path.dirname(job.out), { recursive: true });
    printed.push(await RENDERERS[job.generator](job));
  }
  process.stdout.write(JSON.stringify(printed));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
