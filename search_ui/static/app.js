// sohoa: small progressive enhancements (the pages work without them).
"use strict";

// Drag-and-drop onto the upload zone fills the file input.
document.querySelectorAll("[data-dropzone]").forEach((zone) => {
  const input = zone.querySelector("input[type=file]");
  ["dragenter", "dragover"].forEach((type) => zone.addEventListener(type, (e) => {
    e.preventDefault();
    zone.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((type) => zone.addEventListener(type, () => zone.classList.remove("over")));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      input.dispatchEvent(new Event("change"));
    }
  });
});

// Before the upload: say what the chosen files will become (a document each, or one joined).
document.querySelectorAll(".upload-plan").forEach((plan) => {
  const form = plan.closest("form");
  const input = form.querySelector("input[type=file]");
  const count = document.createElement("span");
  count.className = "plan-count";
  plan.appendChild(count);
  const say = () => {
    const files = Array.from(input.files || []);
    const n = files.length;
    const chosen = form.querySelector("input[name=one_document]:checked");
    const join = chosen && chosen.value === "1";
    plan.classList.toggle("counted", n > 0);
    if (n === 0) { count.textContent = ""; return; }
    // A PDF or TIFF may hold several pages: the page count is then not known before the upload.
    const multi = files.some((f) => /\.(pdf|tiff?)$/i.test(f.name));
    const d = plan.dataset;
    const text = n === 1 ? d.planOne : !join ? d.planEachN : multi ? d.planJoinPdf : d.planJoinN;
    count.textContent = text.replaceAll("{n}", n).replaceAll("{names}", files.map((f) => f.name).join(", "));
  };
  input.addEventListener("change", say);
  form.querySelectorAll("input[name=one_document]").forEach((r) => r.addEventListener("change", say));
  say();
});

// Live OCR progress: poll the dossier's jobs and reload once they have all ended.
const jobs = document.querySelector("[data-jobs-url]");
if (jobs && jobs.dataset.open === "1") {
  const poll = async () => {
    try {
      const res = await fetch(jobs.dataset.jobsUrl, { headers: { Accept: "application/json" } });
      const data = await res.json();
      let open = 0;
      for (const job of data.jobs) {
        const row = jobs.querySelector(`tr[data-job="${job.id}"]`);
        if (row) {
          row.querySelector("progress").value = job.progress;
          row.querySelector(".step").textContent = job.step_label;
          const state = row.querySelector(".state");
          state.textContent = job.status_label;
          state.className = "state state-" + job.state;
        }
        if (job.state === "queued" || job.state === "running") open += 1;
      }
      if (open === 0) { window.location.reload(); return; }
    } catch (err) { /* the next poll retries */ }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
}

document.querySelectorAll("[data-print]").forEach((b) => b.addEventListener("click", () => window.print()));

// A long form (a whole scanned stack to sort): say it is working and stop a second submission.
document.querySelectorAll("form[data-busy]").forEach((form) => form.addEventListener("submit", () => {
  const button = form.querySelector("button[type=submit]");
  if (button) { button.disabled = true; button.textContent = form.dataset.busy; }
}));
