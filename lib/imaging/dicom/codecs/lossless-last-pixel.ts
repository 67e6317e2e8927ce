/**
 * jpeg-lossless-decoder-js 2.1.2 with one fix: the last sample of a scan whose entropy-coded data ends exactly on a
 * byte boundary was dropped (left 0). Its getHuffmanValue reports "marker reached" when the bits left in its buffer
 * are fewer than `markerIndex` (9) — but with exactly 8 left, those 8 are the marker's 0xFF and the code just read
 * was the last real one. The library already exempts the last pixel from this check in getn() ("this was
 * corrupting the last pixel in some cases"); this applies the same exemption in getHuffmanValue, which decides a
 * zero difference (no extra bits), e.g. the -2048 padding corner of a CT that dcmtk's dcmcjpeg encodes.
 * Remove when upstream (github.com/rii-mango/JPEGLosslessDecoderJS) exempts the last pixel in getHuffmanValue too:
 * lossless-last-pixel.test.ts fails on the unpatched class and will show it.
 */
import { Decoder } from "jpeg-lossless-decoder-js";

const MASK = 0xffff;

export class LastPixelSafeDecoder extends Decoder {
  override getHuffmanValue(table: number[], temp: number[], index: number[]): number {
    const stream = this.stream;
    if (!stream) throw new Error("stream not initialized");
    const readByte = (): number => {
      const input = stream.get8();
      if (input === 0xff) {
        this.marker = stream.get8();
        if (this.marker !== 0) this.markerIndex = 9;
      }
      return input;
    };
    if (index[0] < 8) {
      temp[0] <<= 8;
      temp[0] |= readByte();
    } else {
      index[0] -= 8;
    }
    let code = table[temp[0] >> index[0]];
    if ((code & Decoder.MSB) !== 0) {
      if (this.markerIndex !== 0) {
        this.markerIndex = 0;
        return 0xff00 | this.marker;
      }
      temp[0] &= MASK >> (16 - index[0]);
      temp[0] <<= 8;
      temp[0] |= readByte();
      code = table[(code & 0xff) * 256 + (temp[0] >> index[0])];
      index[0] += 8;
    }
    index[0] += 8 - (code >> 8);
    if (index[0] < 0) throw new Error(`index=${index[0]} temp=${temp[0]} code=${code} in HuffmanValue()`);
    // The fix: `&& !this.isLastPixel()`, as upstream's getn() has.
    if (index[0] < this.markerIndex && !this.isLastPixel()) {
      this.markerIndex = 0;
      return 0xff00 | this.marker;
    }
    temp[0] &= MASK >> (16 - index[0]);
    return code & 0xff;
  }
}
