// Small statistics for the benchmarks: medians and spread of repeated runs.
//   summarize([3.1, 2.9, 3.4]) -> { median, min, max, p25, p75, iqr, n, runs }
export function summarize(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return { n: 0, median: null, min: null, max: null, p25: null, p75: null, iqr: null, runs: [] };
  const q = (p) => {
    const pos = (v.length - 1) * p;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return v[lo] + (v[hi] - v[lo]) * (pos - lo);
  };
  const r = (x) => Math.round(x * 1000) / 1000;
  return {
    n: v.length, median: r(q(0.5)), min: r(v[0]), max: r(v[v.length - 1]),
    p25: r(q(0.25)), p75: r(q(0.75)), iqr: r(q(0.75) - q(0.25)), runs: values.map(r),
  };
}

// "12.3 ms (11.9–13.0, n=9)": median with min–max.
export function fmt(s, unit = 'ms', digits = 1) {
  if (!s || s.median === null) return 'n/a';
  return `${s.median.toFixed(digits)} ${unit} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)}, n=${s.n})`;
}

export function ratio(a, b) {
  return a && b ? Math.round((a / b) * 1000) / 1000 : null;
}
