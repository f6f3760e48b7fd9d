// The file and payload formats sources read: CSV (streamed), JSON (streamed), XML (whole document).
export { readCsv, type CsvBatch, type CsvOptions, type CsvRecord } from './csv';
export { previewCsv, type CsvPreview, type CsvPreviewOptions } from './csv-preview';
export { detectDialect, type CsvDelimiter, type CsvDialect, type CsvQuote } from './csv-dialect';
export { decodeStream, type ByteSource, type TextEncodingName } from './decode';
export type { FileBatch, RecordProblem } from './file-batch';
export { readJson, type JsonFileOptions } from './json-file';
export {
  parseXml,
  ATTRIBUTES_KEY,
  TEXT_KEY,
  type XmlElement,
  type XmlNode,
  type XmlOptions,
  type XmlResult,
} from './xml';
export { readXml, type XmlFileOptions } from './xml-file';
