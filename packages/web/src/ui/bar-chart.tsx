/** One bar. */
export interface Bar {
  label: string;
  value: number;
}

/**
 * A horizontal SVG bar chart with its values written out, so it reads without colour and a
 * screen reader gets the same numbers from the table beside it.
 */
export function BarChart({
  title,
  bars,
  format,
}: {
  title: string;
  bars: Bar[];
  format: (value: number) => string;
}) {
  const rowHeight = 28;
  const labelWidth = 150;
  const valueWidth = 80;
  const width = 560;
  const plot = width - labelWidth - valueWidth;
  const max = Math.max(...bars.map((bar) => bar.value), 0);
  const height = Math.max(bars.length, 1) * rowHeight + 8;
  const id = `chart-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <figure className="chart" aria-labelledby={id} data-testid={id}>
      <figcaption id={id}>{title}</figcaption>
      {bars.length === 0 ? (
        <p className="muted">No usage in this period.</p>
      ) : (
        <>
          <svg
            viewBox={`0 0 ${width} ${height}`}
            role="img"
            aria-label={title}
            preserveAspectRatio="xMinYMin meet"
          >
            {bars.map((bar, index) => {
              const y = index * rowHeight + 4;
              const barWidth =
                max > 0 ? Math.max((bar.value / max) * plot, bar.value > 0 ? 2 : 0) : 0;
              return (
                <g key={bar.label}>
                  <text
                    x={labelWidth - 8}
                    y={y + rowHeight / 2 + 4}
                    textAnchor="end"
                    className="chart-label"
                  >
                    {bar.label.length > 20 ? `${bar.label.slice(0, 19)}…` : bar.label}
                  </text>
                  <rect
                    x={labelWidth}
                    y={y + 4}
                    width={barWidth}
                    height={rowHeight - 10}
                    rx={3}
                    className="chart-bar"
                  />
                  <text
                    x={labelWidth + barWidth + 6}
                    y={y + rowHeight / 2 + 4}
                    className="chart-value"
                  >
                    {format(bar.value)}
                  </text>
                </g>
              );
            })}
          </svg>
          <table className="visually-hidden">
            <caption>{title}</caption>
            <tbody>
              {bars.map((bar) => (
                <tr key={bar.label}>
                  <th scope="row">{bar.label}</th>
                  <td>{format(bar.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </figure>
  );
}
