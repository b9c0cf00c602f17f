// Picks named columns of a table for a select, keeping each column's own type (works for either dialect's table).
export function pickColumns<Table extends object, Name extends keyof Table>(table: Table, names: readonly Name[]): Pick<Table, Name> {
  return Object.fromEntries(names.map((name) => [name, table[name]])) as Pick<Table, Name>;
}
