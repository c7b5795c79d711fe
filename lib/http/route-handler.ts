import "server-only";
import { AppError, toErrorBody } from "@/lib/app-error";

/**
 * Every route handler goes through this wrapper: one error shape for every failure. (The
 * permission check will live here too, so no handler can forget it.)
 */
export function handleRoute<C>(handler: (request: Request, context: C) => Promise<Response>) {
  return async (request: Request, context: C): Promise<Response> => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (!(error instanceof AppError)) console.error("route error:", error);
      const { status, body } = toErrorBody(error);
      return Response.json(body, { status });
    }
  };
}
