import { useId } from "react";
import { formatTime } from "../format";

export interface ChartPoint {
  /** ISO start of the bucket. */
  start: string;
  /** null: nothing happened in this bucket (drawn as a baseline tick, not as zero). */
  value: number | null;
  /** Extra words for the tooltip and the table, e.g. "12 succeeded, 1 failed". */
  detail?: string;
}

interface BarChartProps {
  title: string;
  points: ChartPoint[];
  /** The top of the scale (e.g. 1 for rates); defaults to the largest value. */
  max?: number;
  format: (value: number) => string;
  valueLabel: string;
  /** Also draw the rest of the scale above each bar (a rate's failures), lighter. */
  showRemainder?: boolean;
  testId?: string;
}

const WIDTH = 240;
const HEIGHT = 64;

/**
 * A small inline-SVG bar chart. Screen readers get a one-line summary on the image and the
 * exact numbers in a visually hidden table; pointer users get each bar's <title>.
 */
export function BarChart({
  title,
  points,
  max,
  format,
  valueLabel,
  showRemainder,
  testId,
}: BarChartProps) {
  const id = useId();
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const top = max ?? Math.max(1, ...values);
  const slot = WIDTH / Math.max(points.length, 1);
  const gap = Math.min(2, slot / 4);
  const summary =
    values.length === 0
      ? `${title}: no deliveries in this period.`
      : `${title}: lowest ${format(Math.min(...values))}, highest ${format(Math.max(...values))}, ` +
        `${values.length} of ${points.length} intervals with deliveries.`;

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption id={`${id}-title`}>
        {title}
        <span className="chart-scale" aria-hidden="true">
          {values.length > 0 ? ` · scale to ${format(top)}` : ""}
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={summary}
        focusable="false"
      >
        <line x1="0" y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} className="chart-axis" />
        {points.map((point, i) => {
          const x = i * slot + gap / 2;
          const width = Math.max(slot - gap, 1);
          const label = `${formatTime(point.start)}: ${
            point.value === null ? "no deliveries" : format(point.value)
          }${point.detail ? ` (${point.detail})` : ""}`;
          if (point.value === null) {
            return (
              <rect
                key={point.start}
                x={x}
                y={HEIGHT - 2}
                width={width}
                height={2}
                className="bar-empty"
              >
                <title>{label}</title>
              </rect>
            );
          }
          const height = Math.max((Math.min(point.value, top) / top) * (HEIGHT - 2), 2);
          // 0 % is a full bar of failures, not the same baseline tick as "no deliveries".
          return (
            <g key={point.start}>
              <title>{label}</title>
              {showRemainder && height < HEIGHT && (
                <rect x={x} y={0} width={width} height={HEIGHT - height} className="bar-rest" />
              )}
              <rect x={x} y={HEIGHT - height} width={width} height={height} className="bar" />
            </g>
          );
        })}
      </svg>
      {/* In a hidden div: a table itself cannot be shrunk out of the layout. */}
      <div className="visually-hidden">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Interval starting</th>
              <th scope="col">{valueLabel}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.start}>
                <th scope="row">
                  <time dateTime={point.start}>{formatTime(point.start)}</time>
                </th>
                <td>
                  {point.value === null ? "no deliveries" : format(point.value)}
                  {point.detail ? ` (${point.detail})` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
