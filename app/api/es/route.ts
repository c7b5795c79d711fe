import { esRoute, shipperRootInfo } from "@/app/api/es/es-route";

// The version handshake Beats and Elastic Agent make before they publish (GET /; HEAD as ping).
export const GET = esRoute(async () => shipperRootInfo());
export const HEAD = esRoute(
  async () =>
    new Response(null, {
      status: 200,
      headers: { "X-Elastic-Product": "Elasticsearch", "Content-Type": "application/json" },
    }),
);
