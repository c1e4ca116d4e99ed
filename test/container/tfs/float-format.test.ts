import { formatFloat32, formatFloat64, formatG } from '../../../container/tfs/float-format';

describe('float formatting as TensorFlow Serving prints it', () => {
  it.each([
    [3.5, '3.5'],
    [4, '4.0'],
    [0.1, '0.1'],
    [-2.5, '-2.5'],
    [9000000, '9e+06'],
    [0.00003, '3e-05'],
    [100000, '100000.0'],
    [123456789, '123456792.0'],
    [0.123456789, '0.123456791'],
    [1 / 3, '0.333333343'],
    [-0, '-0.0'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ])('float32 %p → %s', (value, text) => {
    expect(formatFloat32(value)).toBe(text);
  });

  it.each([
    [0.1, '0.1'],
    [1 / 3, '0.33333333333333331'],
    [123456789, '123456789.0'],
    [1e300, '1e+300'],
  ])('float64 %p → %s', (value, text) => {
    expect(formatFloat64(value)).toBe(text);
  });

  it('formatG matches printf %g', () => {
    expect(formatG(1234567, 6)).toBe('1.23457e+06');
    expect(formatG(0.0001, 6)).toBe('0.0001');
    expect(formatG(0.00001234, 6)).toBe('1.234e-05');
    expect(formatG(1e-100, 6)).toBe('1e-100');
    expect(formatG(999999.5, 6)).toBe('1e+06');
  });
});
