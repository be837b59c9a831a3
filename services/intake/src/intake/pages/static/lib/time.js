// Times are stored and sent in UTC, shown and typed in the hotline's zone (the server's timezone
// setting, Asia/Baku), whatever the zone of the operator's computer.

// Short date and time in the page's language; `empty` stands in for a missing time.
export function timeFormatter(lang, timeZone, empty = "") {
  const format = new Intl.DateTimeFormat(lang === "az" ? "az-Latn-AZ" : lang,
    { timeZone, dateStyle: "short", timeStyle: "short" });
  return (iso) => (iso ? format.format(new Date(iso)) : empty);
}

function zoneOffsetMinutes(date, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(date).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return Math.round((asUtc - date.getTime()) / 60000);
}

// "2026-11-23T10:00" as typed in the zone -> the UTC instant, ISO ("" -> null).
export function zonedToIso(value, timeZone) {
  if (!value) return null;
  const naive = new Date(value + ":00Z");
  return new Date(naive.getTime() - zoneOffsetMinutes(naive, timeZone) * 60000).toISOString();
}

// An ISO instant -> "2026-11-23T10:00" in the zone, for a datetime-local (or, cut, a date) input.
export function isoToZoned(iso, timeZone) {
  if (!iso) return "";
  const date = new Date(iso);
  return new Date(date.getTime() + zoneOffsetMinutes(date, timeZone) * 60000).toISOString().slice(0, 16);
}
