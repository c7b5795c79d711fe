"use server";

import { z } from "zod";
import { withPermission, type Failure } from "@/lib/actions/with-permission";
import { listAlertFields, type AlertFieldList } from "@/lib/data/alert-field-browser";

/** The alerts table's field browser: the fields present in the newest alerts' events, read when it opens. */
export const listAlertFieldsAction = withPermission(
  "alerts:read",
  z.tuple([]),
  async (actor): Promise<({ ok: true } & AlertFieldList) | Failure> => ({
    ok: true,
    ...(await listAlertFields(actor)),
  }),
);
