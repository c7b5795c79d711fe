import { CreateUserForm, UserRowActions } from "@/components/admin/user-admin";
import { requirePageUser } from "@/lib/auth/session";
import { listUsers } from "@/lib/data/users";
import { DataTable } from "@/components/ui/data-table";
import { Time } from "@/components/ui/time";
import { roleLabel } from "@/lib/format/labels";

export const dynamic = "force-dynamic";

export default async function AdminUsersPage() {
  const actor = await requirePageUser("users:manage");
  const users = await listUsers(actor);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Users</h1>
      <CreateUserForm />
      <DataTable
        rows={users}
        rowTestId={(u) => `user-${u.email}`}
        columns={[
          { header: "Name", cell: (u) => u.name },
          { header: "Email", cell: (u) => u.email },
          { header: "Role", cell: (u) => roleLabel(u.role) },
          {
            header: "State",
            className: (u) => (u.disabled ? "text-red-700" : "text-green-700"),
            cell: (u) => (u.disabled ? "disabled" : "active"),
          },
          { header: "Sessions", cell: (u) => u.activeSessions },
          { header: "Created", className: "whitespace-nowrap", cell: (u) => <Time value={u.createdAt} dateOnly /> },
          {
            header: "Actions",
            cell: (u) => (
              <UserRowActions isSelf={u.id === actor.id} user={{ ...u, createdAt: u.createdAt.toISOString() }} />
            ),
          },
        ]}
      />
    </div>
  );
}
