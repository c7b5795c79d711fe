import type { ReactNode } from "react";

/**
 * The app's one look for a read-only list a page renders on the server: columns + rows, header and
 * cell classes in one place. Not a client component, so a server page passes its cell renderers
 * (functions) straight in. Interactive lists (sorting, selection, shortcuts) use TanStack Table in a
 * client component instead: the alerts table.
 */
export type DataColumn<Row> = {
  header: string;
  cell: (row: Row) => ReactNode;
  /** Classes added to this column's cells (nowrap, tabular-nums, break-all, text size …). */
  className?: string | ((row: Row) => string);
  /** The cell names its row: a `<th scope="row">`, announced with each of the row's cells. */
  rowHeader?: boolean;
  testId?: string;
  /** A tooltip on the cell (what the short value stands for). */
  title?: (row: Row) => string;
};

const TABLE_HEAD_CLASS = "bg-slate-100 text-left text-slate-600";
const TABLE_HEADER_CELL_CLASS = "px-3 py-2 font-medium";
const TABLE_ROW_CLASS = "border-t border-slate-100 align-top";
const TABLE_CELL_CLASS = "px-3 py-2";

/** Rows with an `id` are keyed by it; others say how. */
type RowKeyProp<Row> = Row extends { id: string }
  ? { rowKey?: (row: Row) => string }
  : { rowKey: (row: Row) => string };

export function DataTable<Row>({
  columns,
  rows,
  rowKey = (row) => (row as { id: string }).id,
  empty,
  label,
  testId,
  rowTestId,
  framed = true,
}: {
  columns: DataColumn<Row>[];
  rows: Row[];
  /** Shown in one full-width row when there are no rows. */
  empty?: ReactNode;
  /** The table's accessible name (`aria-label`). */
  label?: string;
  testId?: string;
  rowTestId?: string | ((row: Row) => string);
  /** false inside a card that already draws the frame. */
  framed?: boolean;
} & RowKeyProp<Row>) {
  return (
    <div className={`overflow-x-auto ${framed ? "rounded-lg border border-slate-200 bg-white" : ""}`}>
      <table className="w-full text-sm" aria-label={label} data-testid={testId}>
        <thead className={TABLE_HEAD_CLASS}>
          <tr>
            {columns.map((c, i) => (
              <th key={i} className={TABLE_HEADER_CELL_CLASS}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={rowKey(row)}
              className={TABLE_ROW_CLASS}
              data-testid={typeof rowTestId === "function" ? rowTestId(row) : rowTestId}
            >
              {columns.map((c, i) => {
                const extra = typeof c.className === "function" ? c.className(row) : (c.className ?? "");
                return c.rowHeader ? (
                  <th key={i} scope="row" className={`${TABLE_CELL_CLASS} text-left font-normal ${extra}`}>
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={i} className={`${TABLE_CELL_CLASS} ${extra}`} data-testid={c.testId} title={c.title?.(row)}>
                    {c.cell(row)}
                  </td>
                );
              })}
            </tr>
          ))}
          {rows.length === 0 && empty !== undefined && (
            <tr>
              <td colSpan={columns.length} className="px-3 py-6 text-center text-slate-600">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
