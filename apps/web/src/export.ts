/** Taking the view away: CSV files, the chart as SVG or PNG, and a link that pins the record time. */

/** A CSV cell: quoted when it holds a comma, quote or line break (RFC 4180). */
function cell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Offers a file to save, without leaving the page. */
export function download(name: string, type: string, content: Blob | string): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The chart as a standalone SVG document: the axis above the lanes, on white, with its title. */
export function chartSvg(lanes: SVGSVGElement, axis: SVGSVGElement | null, title: string): string {
  const width = Number(lanes.getAttribute('width'));
  const axisHeight = axis ? Number(axis.getAttribute('height')) : 0;
  const height = Number(lanes.getAttribute('height')) + axisHeight + 28;
  const ns = 'http://www.w3.org/2000/svg';
  const root = document.createElementNS(ns, 'svg');
  root.setAttribute('xmlns', ns);
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  root.setAttribute('font-family', 'system-ui, sans-serif');
  const background = document.createElementNS(ns, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  const heading = document.createElementNS(ns, 'text');
  heading.setAttribute('x', '8');
  heading.setAttribute('y', '18');
  heading.setAttribute('font-size', '14');
  heading.setAttribute('font-weight', 'bold');
  heading.textContent = title;
  root.append(background, heading);
  const place = (svg: SVGSVGElement, y: number) => {
    const copy = svg.cloneNode(true) as SVGSVGElement;
    copy.setAttribute('y', String(y));
    root.append(copy);
  };
  if (axis) place(axis, 28);
  place(lanes, 28 + axisHeight);
  return new XMLSerializer().serializeToString(root);
}

/** Draws an SVG document onto a canvas (through a data: URL, which the page's policy allows) and gives it as PNG. */
export async function svgToPng(svg: string, width: number, height: number): Promise<Blob> {
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = width * 2;
  canvas.height = height * 2;
  const context = canvas.getContext('2d')!;
  context.scale(2, 2);
  context.drawImage(image, 0, 0);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the chart could not be drawn as PNG'))), 'image/png'));
}
