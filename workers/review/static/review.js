// The review app's behaviour: keyboard navigation in the queue; on the document view, words
// and field boxes placed over the page images, and picking words into the selected field.
// Plain JavaScript, shipped with the package: nothing is fetched at run time.
"use strict";

function placeBox(element, box) {
  const [x0, y0, x1, y1] = box.split(" ").map(Number);
  element.style.left = x0 * 100 + "%";
  element.style.top = y0 * 100 + "%";
  element.style.width = (x1 - x0) * 100 + "%";
  element.style.height = (y1 - y0) * 100 + "%";
}

function typingIn(target) {
  return ["INPUT", "SELECT", "TEXTAREA", "BUTTON"].includes(target.tagName);
}

function setUpQueue() {
  const rows = Array.from(document.querySelectorAll(".queue-item"));
  let current = rows.length ? 0 : -1;
  function select(index) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, i) => row.classList.toggle("selected", i === current));
    rows[current].focus();
  }
  select(0);
  document.addEventListener("keydown", (event) => {
    if (typingIn(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "j" || event.key === "ArrowDown") select(current + 1);
    else if (event.key === "k" || event.key === "ArrowUp") select(current - 1);
    else if (event.key === "Enter" && current >= 0) window.location = rows[current].dataset.href;
    else return;
    event.preventDefault();
  });
  rows.forEach((row, i) => row.addEventListener("click", () => select(i)));
}

function setUpDocument() {
  const pages = new Map();
  document.querySelectorAll(".page").forEach((page) => {
    pages.set(page.dataset.page, page);
    page.querySelectorAll(".word").forEach((word) => placeBox(word, word.dataset.box));
  });
  const boxes = new Map();
  document.querySelectorAll(".field[data-box]").forEach((field) => {
    const page = pages.get(field.dataset.page);
    if (!page) return;
    const box = document.createElement("div");
    box.className = "field-box";
    box.dataset.path = field.dataset.path;
    placeBox(box, field.dataset.box);
    page.appendChild(box);
    boxes.set(field.dataset.path, box);
  });

  let selected = null;
  function selectField(field) {
    document.querySelectorAll(".field.selected").forEach((f) => f.classList.remove("selected"));
    document.querySelectorAll(".field-box.selected").forEach((b) => b.classList.remove("selected"));
    selected = field;
    field.classList.add("selected");
    const box = boxes.get(field.dataset.path);
    if (box) {
      box.classList.add("selected");
      box.scrollIntoView({ block: "center", behavior: "smooth" });
    }
  }
  const form = document.getElementById("review-form");
  if (form) {
    form.addEventListener("focusin", (event) => {
      const field = event.target.closest(".field");
      if (field) selectField(field);
    });
  }
  document.querySelectorAll(".add-row").forEach((button) => {
    button.addEventListener("click", () => {
      const list = button.dataset.list;
      const rows = document.querySelector(`.new-rows[data-list="${CSS.escape(list)}"]`);
      const index = Number(rows.dataset.next);
      rows.dataset.next = String(index + 1);
      const copy = document.getElementById("new-row-" + list).content.cloneNode(true);
      copy.querySelectorAll("[name], [data-path]").forEach((element) => {
        if (element.name) element.name = element.name.replace("__i__", index);
        if (element.dataset.path) element.dataset.path = element.dataset.path.replace("__i__", index);
      });
      copy.querySelectorAll("label, .item-head span").forEach((element) => {
        element.textContent = element.textContent.replace("__i__", index);
      });
      rows.appendChild(copy);
      rows.querySelector(`.field[data-path^="${CSS.escape(list + "." + index)}."] input`).focus();
    });
  });

  let dragStart = null;
  function wordsBetween(first, last) {
    const words = Array.from(first.parentElement.querySelectorAll(".word"));
    const [a, b] = [words.indexOf(first), words.indexOf(last)].sort((x, y) => x - y);
    return words.slice(a, b + 1);
  }
  function mark(words) {
    document.querySelectorAll(".word.picked").forEach((w) => w.classList.remove("picked"));
    words.forEach((w) => w.classList.add("picked"));
  }
  function pick(words) {
    if (!selected || !words.length) return;
    const input = selected.querySelector("input:not([type=hidden])");
    if (input.disabled) return;
    input.value = words.map((w) => w.textContent).join(" ");
    const parts = words.map((w) => w.dataset.box.split(" ").map(Number));
    const box = [
      Math.min(...parts.map((p) => p[0])), Math.min(...parts.map((p) => p[1])),
      Math.max(...parts.map((p) => p[2])), Math.max(...parts.map((p) => p[3])),
    ];
    const page = words[0].parentElement.dataset.page;
    selected.querySelector("input[name^='pick:']").value = page + " " + box.join(" ");
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }
  document.querySelectorAll(".word").forEach((word) => {
    word.addEventListener("mousedown", (event) => {
      event.preventDefault(); // keep the field's input focused
      dragStart = word;
      mark([word]);
    });
    word.addEventListener("mouseenter", () => {
      if (dragStart && dragStart.parentElement === word.parentElement) {
        mark(wordsBetween(dragStart, word));
      }
    });
    word.addEventListener("mouseup", () => {
      if (dragStart && dragStart.parentElement === word.parentElement) {
        pick(wordsBetween(dragStart, word));
      }
      dragStart = null;
    });
  });
  document.addEventListener("mouseup", () => { dragStart = null; });
  const first = document.querySelector(".field.needs-review") || document.querySelector(".field");
  if (first) selectField(first);
}

document.addEventListener("DOMContentLoaded", () => {
  if (document.body.dataset.page === "queue") setUpQueue();
  if (document.body.dataset.page === "document") setUpDocument();
});
