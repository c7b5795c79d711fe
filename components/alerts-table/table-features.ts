import {
  columnOrderingFeature,
  columnVisibilityFeature,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
} from "@tanstack/react-table";

/** The TanStack Table v9 features the alerts table uses (v9 registers features per table). */
export const alertTableFeatures = tableFeatures({
  rowSelectionFeature,
  rowSortingFeature,
  columnOrderingFeature,
  columnVisibilityFeature,
});
