import { CreateUserForm, UserRowActions } from "@/components/admin/user-admin";
import { requirePageUser } from "@/lib/auth/session";
import { listUsers } from "@/lib/data/users";
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
      <table className="w-full rounded-lg border border-slate-200 bg-white text-sm">
        <thead className="bg-slate-100 text-left text-slate-600">
          <tr>
            {["Name", "Email", "Role", "State", "Sessions", "Created", "Actions"].map((h) => (
              <th key={h} className="px-3 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-testid={`user-${u.email}`} className="border-t border-slate-100 align-top">
              <td className="px-3 py-2">{u.name}</td>
              <td className="px-3 py-2">{u.email}</td>
              <td className="px-3 py-2">{roleLabel(u.role)}</td>
              <td className={`px-3 py-2 ${u.disabled ? "text-red-700" : "text-green-700"}`}>
                {u.disabled ? "disabled" : "active"}
              </td>
              <td className="px-3 py-2">{u.activeSessions}</td>
              <td className="px-3 py-2 whitespace-nowrap">
                <Time value={u.createdAt} dateOnly />
              </td>
              <td className="px-3 py-2">
                <UserRowActions isSelf={u.id === actor.id} user={{ ...u, createdAt: u.createdAt.toISOString() }} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
