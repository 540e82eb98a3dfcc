// Follows a running rebuild on the index status page; reloads the page when it ends.
"use strict";
(function () {
  const box = document.getElementById("rebuild-progress");
  if (!box) return;
  const bar = box.querySelector("progress");
  const numbers = box.querySelector(".rebuild-numbers");

  async function poll() {
    const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const run = await response.json();
    bar.value = run.percent;
    numbers.textContent = `${run.indexed} of ${run.total ?? "?"} documents`;
    if (run.active) {
      setTimeout(poll, 1000);
    } else {
      window.location.reload();
    }
  }
  setTimeout(poll, 1000);
})();
