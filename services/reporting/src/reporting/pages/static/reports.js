// The reports page: polls each unfinished job and shows its progress, reloading the list once one
// is done; choosing a kind puts that kind's default period in the form (the kind select's
// data-annual / data-quarterly, written by the server).

for (const row of document.querySelectorAll('tr[data-status="queued"], tr[data-status="running"]')) {
  const tick = () => {
    fetch("/api/v1/reports/" + row.dataset.job, { credentials: "same-origin" })
      .then((response) => response.json())
      .then((job) => {
        const bar = row.querySelector("progress");
        const pct = row.querySelector(".pct");
        if (bar) bar.value = job.progress;
        if (pct) pct.textContent = job.progress + "%";
        if (job.status === "done" || job.status === "failed") window.location.reload();
        else setTimeout(tick, 500);
      });
  };
  setTimeout(tick, 300);
}

const kind = document.getElementById("kind");
const period = document.getElementById("period");
kind.addEventListener("change", () => {
  period.value = kind.dataset[kind.value] || "";
});
