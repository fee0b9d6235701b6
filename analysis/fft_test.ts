import assert from "node:assert/strict";
import fc from "fast-check";
import { fft, ifft, irfft, isPowerOfTwo, nextPowerOfTwo, rfft } from "./fft.ts";
import { createRng } from "./synthetic.ts";

/** The DFT by its definition, O(n²). */
function naiveDft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * k * t) / n;
      re[k] += x[t] * Math.cos(a);
      im[k] += x[t] * Math.sin(a);
    }
  }
  return { re, im };
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

Deno.test("REQ-ANA-005: rfft() equals the DFT by definition for every power of two up to 1024", () => {
  const rng = createRng(11);
  for (let n = 2; n <= 1024; n *= 2) {
    const x = new Float64Array(n).map(() => rng.normal());
    const want = naiveDft(x);
    const got = rfft(x);
    assert.equal(got.re.length, n / 2 + 1);
    close(got.re, want.re.subarray(0, n / 2 + 1), 1e-9 * n, `re n=${n}`);
    close(got.im, want.im.subarray(0, n / 2 + 1), 1e-9 * n, `im n=${n}`);
  }
});

Deno.test("REQ-ANA-005: fft() equals the complex DFT and ifft() inverts it", () => {
  const rng = createRng(12);
  const n = 64;
  const re = new Float64Array(n).map(() => rng.normal());
  const im = new Float64Array(n).map(() => rng.normal());
  // DFT of a complex sequence = DFT(re) + i·DFT(im)
  const a = naiveDft(re);
  const b = naiveDft(im);
  const fr = re.slice();
  const fi = im.slice();
  fft(fr, fi);
  close(fr, a.re.map((v, k) => v - b.im[k]), 1e-9, "re");
  close(fi, a.im.map((v, k) => v + b.re[k]), 1e-9, "im");
  ifft(fr, fi);
  close(fr, re, 1e-12, "ifft re");
  close(fi, im, 1e-12, "ifft im");
});

Deno.test("REQ-ANA-005: irfft(rfft(x)) returns x (property, lengths 2 … 4096)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 0, max: 1_000_000 }),
      (bits, seed) => {
        const n = 2 ** bits;
        const rng = createRng(seed);
        const x = new Float64Array(n).map(() => rng.normal() * 1000);
        const { re, im } = rfft(x);
        close(irfft(re, im, n), x, 1e-9 * 1000, `n=${n}`);
      },
    ),
    { numRuns: 40 },
  );
});

Deno.test("REQ-ANA-005: Parseval: the energy of x equals the energy of its spectrum / N", () => {
  const rng = createRng(13);
  const n = 4096;
  const x = new Float64Array(n).map(() => rng.normal());
  const { re, im } = rfft(x);
  let time = 0;
  for (const v of x) time += v * v;
  let freq = re[0] ** 2 + re[n / 2] ** 2;
  for (let k = 1; k < n / 2; k++) freq += 2 * (re[k] ** 2 + im[k] ** 2);
  assert.ok(Math.abs(freq / n - time) < 1e-8 * time);
});

Deno.test("REQ-ANA-005: a pure cosine puts its energy in one bin", () => {
  const n = 256;
  const x = new Float64Array(n).map((_, t) => Math.cos((2 * Math.PI * 10 * t) / n));
  const { re, im } = rfft(x);
  for (let k = 0; k <= n / 2; k++) {
    const mag = Math.hypot(re[k], im[k]);
    assert.ok(k === 10 ? Math.abs(mag - n / 2) < 1e-9 : mag < 1e-9, `bin ${k}: ${mag}`);
  }
});

Deno.test("REQ-ANA-005: lengths that are not powers of two are refused", () => {
  assert.throws(() => rfft(new Float64Array(6)), RangeError);
  assert.throws(() => rfft(new Float64Array(1)), RangeError);
  assert.throws(() => fft(new Float64Array(3), new Float64Array(3)), RangeError);
  assert.throws(() => fft(new Float64Array(4), new Float64Array(2)), RangeError);
  assert.throws(() => irfft(new Float64Array(2), new Float64Array(2), 8), RangeError);
  assert.equal(nextPowerOfTwo(0), 1);
  assert.equal(nextPowerOfTwo(5), 8);
  assert.equal(nextPowerOfTwo(86_400 + 7_200), 131_072);
  assert.ok(isPowerOfTwo(1) && isPowerOfTwo(1024) && !isPowerOfTwo(12) && !isPowerOfTwo(0.5));
});

Deno.test("REQ-ANA-005: results are the caller's: a second transform does not overwrite the first", () => {
  const a = rfft(new Float64Array([1, 2, 3, 4]));
  const keep = [...a.re];
  rfft(new Float64Array([9, 9, 9, 9]));
  irfft(new Float64Array(3), new Float64Array(3), 4);
  assert.deepEqual([...a.re], keep);
});
