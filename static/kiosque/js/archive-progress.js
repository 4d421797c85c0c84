// The treasurer's ZIP of a year's receipts: a live progress bar, then the download link.
(function () {
  "use strict";
  document.querySelectorAll(".kiosque-archive").forEach((item) => {
    const bar = item.querySelector("progress");
    const status = item.querySelector(".archive-status");
    const count = item.querySelector(".archive-count");
    const link = item.querySelector(".archive-download");

    async function poll() {
      let state;
      try {
        const response = await fetch(item.dataset.progressUrl, { credentials: "same-origin" });
        state = await response.json();
      } catch (error) {
        setTimeout(poll, 3000); // the server is busy or restarting: try again
        return;
      }
      bar.value = state.percent;
      bar.textContent = state.percent + " %";
      status.textContent = state.status_label;
      count.textContent = state.done + "/" + state.total;
      if (state.download_url) {
        link.href = state.download_url;
        link.hidden = false;
      } else if (state.status === "pending" || state.status === "running") {
        setTimeout(poll, 1000);
      }
    }

    if (item.dataset.status === "pending" || item.dataset.status === "running") {
      poll();
    }
  });
})();
