// Small bar charts drawn as SVG: enough to see a trend at a glance, with the numbers on hover.

const SVG = 'http://www.w3.org/2000/svg';

function el(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

// A bar per label, its series stacked bottom to top: { labels: [..], series: [{ name, values,
// className }] }. The chart scales to its container's width.
export function barChart({ labels, series }) {
  // Each bar is as wide as its label, so labels never overlap however wide the chart is drawn.
  const longest = Math.max(...labels.map((label) => label.length));
  const width = Math.max(240, labels.length * Math.max(34, longest * 6 + 10)), height = 150, left = 28, bottom = 22, top = 10;
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + s.values[i], 0));
  const max = Math.max(1, ...totals);
  const step = (width - left) / labels.length, bar = Math.max(4, step * 0.7);
  const y = (value) => top + (height - top - bottom) * (1 - value / max);
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'bar-chart', role: 'img',
    'aria-label': series.map((s) => `${s.name}: ${s.values.join(', ')}`).join('; ') });
  for (const value of [0, max]) {
    svg.append(el('line', { x1: left, x2: width, y1: y(value), y2: y(value), class: 'grid' }));
    svg.append(el('text', { x: left - 4, y: y(value) + 4, class: 'axis', 'text-anchor': 'end' }, String(value)));
  }
  labels.forEach((label, i) => {
    const x = left + i * step + (step - bar) / 2;
    let base = 0;
    for (const s of series) {
      const value = s.values[i];
      if (value > 0) {
        const rect = el('rect', { x, width: bar, y: y(base + value), height: y(base) - y(base + value), class: `bar ${s.className}` });
        rect.append(el('title', {}, `${label}: ${value} ${s.name}`));
        svg.append(rect);
      }
      base += value;
    }
    svg.append(el('text', { x: x + bar / 2, y: height - 6, class: 'axis', 'text-anchor': 'middle' }, label));
  });
  const legend = document.createElement('div');
  legend.className = 'legend';
  if (series.length > 1)
    for (const s of series) {
      const key = document.createElement('span');
      key.className = `key ${s.className}`;
      key.textContent = s.name;
      legend.append(key);
    }
  const wrapper = document.createElement('div');
  wrapper.append(svg, legend);
  return wrapper;
}
