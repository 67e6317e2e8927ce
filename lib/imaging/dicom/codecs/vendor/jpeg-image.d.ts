/** Types for the vendored pdf.js-derived JPEG decoder (see jpeg-image.js header). */
declare class JpegImage {
  parse(data: Uint8Array): void;
  width: number;
  height: number;
  colorTransform?: boolean;
  components: unknown[];
  getData16(width: number, height: number): Uint16Array;
  getData(width: number, height: number): Uint8Array;
}
export default JpegImage;
