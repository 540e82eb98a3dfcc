// A session added with "Add another" gets the next number, the event's location and venue,
// and the day after the previous session at the same times (the editor changes what differs).
"use strict";
(function () {
  const PREFIX = "sessions";

  function value(row, field) {
    const input = row.querySelector(`[name$="-${field}"]`);
    return input ? input.value : "";
  }

  function setIfEmpty(row, field, newValue) {
    const input = row.querySelector(`[name$="-${field}"]`);
    if (input && !input.value && newValue) {
      input.value = newValue;
    }
  }

  function nextDay(isoDate) {
    if (!isoDate) return "";
    const day = new Date(`${isoDate}T12:00:00Z`);
    day.setUTCDate(day.getUTCDate() + 1);
    return day.toISOString().slice(0, 10);
  }

  document.addEventListener("formset:added", (event) => {
    if (event.detail.formsetName !== PREFIX) return;
    const row = event.target;
    const rows = Array.from(
      document.querySelectorAll(`#${PREFIX}-group tr.form-row:not(.empty-form)`)
    ).filter((other) => other !== row);
    const numbers = rows.map((other) => parseInt(value(other, "sequence"), 10) || 0);
    const sequence = row.querySelector('[name$="-sequence"]');
    if (sequence) sequence.value = Math.max(0, ...numbers) + 1;
    setIfEmpty(row, "location", document.getElementById("id_location")?.value);
    setIfEmpty(row, "venue", document.getElementById("id_venue")?.value);
    const previous = rows[rows.length - 1];
    if (previous) {
      setIfEmpty(row, "start_date_0", nextDay(value(previous, "start_date_0")));
      setIfEmpty(row, "start_date_1", value(previous, "start_date_1"));
      setIfEmpty(row, "end_date_0", nextDay(value(previous, "end_date_0")));
      setIfEmpty(row, "end_date_1", value(previous, "end_date_1"));
    }
  });
})();
