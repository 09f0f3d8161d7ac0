// The actions board in the browser: a column per status, cards moved by dragging (SortableJS)
// or by each card's "Move to" menu (keyboard and screen reader), the result announced.
//
// Every text from the data (titles, names, labels) is set with textContent: nothing the
// server sends is parsed as HTML. A move or an opened card goes back to Python as a trigger;
// the server answers with new data and the board is drawn afresh from it, so a refused move
// puts the card back where it was.

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null && text !== "") node.textContent = String(text);
  return node;
}

function fill(template, values) {
  return Object.entries(values).reduce(
    (text, [name, value]) => text.split(`{${name}}`).join(String(value)),
    template,
  );
}

function plainClick(event) {
  return event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey && !event.altKey;
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  if (!data || !Array.isArray(data.columns)) return undefined;
  const root = parentElement;
  const labels = data.labels;

  // One live region for the life of the board, so a screen reader hears each change.
  let live = root.querySelector(":scope > .cop-board-live");
  if (!live) {
    live = el("div", "cop-board-live");
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    root.appendChild(live);
  }
  if (data.announce && live.dataset.said !== String(data.attempt)) {
    live.dataset.said = String(data.attempt);
    live.textContent = data.announce;
  }
  root.querySelectorAll(":scope > .cop-board").forEach((old) => old.remove());

  const board = el("div", "cop-board");
  const cards = new Map();
  const sortables = [];
  const closers = [];
  let sent = false;

  const labelOf = (status) => (data.columns.find((c) => c.status === status) || {}).label || status;

  function move(card, status, byKeyboard) {
    if (sent || status === card.status) return;
    sent = true;
    board.classList.add("is-busy");
    root.dataset.focusCard = byKeyboard ? String(card.id) : "";
    live.textContent = fill(labels.moving, { title: card.title, status: labelOf(status) });
    setTriggerValue("move", { id: card.id, version: card.version, status });
  }

  function moveMenu(card) {
    const wrap = el("div", "cop-move");
    const button = el("button", "cop-move-button", labels.move);
    button.type = "button";
    button.setAttribute("aria-haspopup", "menu");
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-label", `${labels.move} ${card.title}`);
    const menu = el("ul", "cop-move-menu");
    menu.setAttribute("role", "menu");
    menu.setAttribute("aria-label", fill(labels.move_card, { title: card.title }));
    menu.hidden = true;
    const entries = [];
    for (const column of data.columns) {
      if (column.status === card.status) continue;
      const li = el("li");
      li.setAttribute("role", "none");
      const entry = el("button", "cop-move-item", column.label);
      entry.type = "button";
      entry.setAttribute("role", "menuitem");
      entry.tabIndex = -1;
      entry.dataset.status = column.status;
      entry.addEventListener("click", () => move(card, column.status, true));
      li.appendChild(entry);
      menu.appendChild(li);
      entries.push(entry);
    }
    const close = (focusButton) => {
      if (menu.hidden) return;
      menu.hidden = true;
      button.setAttribute("aria-expanded", "false");
      if (focusButton) button.focus();
    };
    const open = (at) => {
      menu.hidden = false;
      button.setAttribute("aria-expanded", "true");
      menu.scrollIntoView({ block: "nearest" });
      entries[(at + entries.length) % entries.length].focus();
    };
    button.addEventListener("click", () => (menu.hidden ? open(0) : close(false)));
    button.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        open(event.key === "ArrowDown" ? 0 : -1);
      }
    });
    menu.addEventListener("keydown", (event) => {
      const at = entries.indexOf(document.activeElement);
      const step = { ArrowDown: 1, ArrowUp: -1, Home: -at, End: entries.length - 1 - at }[event.key];
      if (step !== undefined) {
        event.preventDefault();
        entries[(at + step + entries.length) % entries.length].focus();
      } else if (event.key === "Escape") {
        event.preventDefault();
        close(true);
      } else if (event.key === "Tab") {
        close(false);
      }
    });
    const outside = (event) => {
      if (!wrap.contains(event.target)) close(false);
    };
    document.addEventListener("pointerdown", outside);
    closers.push(() => document.removeEventListener("pointerdown", outside));
    wrap.append(button, menu);
    return wrap;
  }

  function cardItem(card) {
    const item = el("li", "cop-card");
    item.dataset.id = String(card.id);
    item.dataset.testid = `card-${card.id}`;
    if (card.overdue) item.classList.add("is-overdue");
    if (card.movable) item.classList.add("is-movable");

    const title = el("a", "cop-card-title", card.title);
    title.href = card.href;
    title.target = "_self";
    title.draggable = false;
    title.addEventListener("click", (event) => {
      if (!plainClick(event)) return; // a new tab or window when the person asks for one
      event.preventDefault();
      setTriggerValue("open", card.id);
    });
    item.appendChild(title);

    if (card.overdue) item.appendChild(el("span", "cop-card-overdue", labels.overdue));
    const meta = el("p", "cop-card-meta");
    meta.append(el("span", "cop-card-owner", card.owner), el("span", "cop-card-due", card.due));
    item.appendChild(meta);

    const progress = el("div", "cop-card-progress");
    const bar = el("div", "cop-card-bar");
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", "100");
    bar.setAttribute("aria-valuenow", String(card.progress));
    bar.setAttribute("aria-label", labels.progress);
    const fillBar = el("div", "cop-card-bar-fill");
    fillBar.style.width = `${Math.max(0, Math.min(100, Number(card.progress) || 0))}%`;
    bar.appendChild(fillBar);
    progress.append(bar, el("span", "cop-card-progress-text", card.progress_text));
    item.appendChild(progress);

    if (card.latest) {
      const latest = el("p", "cop-card-latest", card.latest);
      latest.title = card.latest;
      item.appendChild(latest);
    }
    if (card.movable) item.appendChild(moveMenu(card));
    return item;
  }

  for (const column of data.columns) {
    const section = el("section", "cop-column");
    section.dataset.status = column.status;
    const headingId = `cop-column-${column.status}`;
    const heading = el("h3", "cop-column-title");
    heading.id = headingId;
    const count = el("span", "cop-column-count", column.count);
    count.setAttribute("aria-hidden", "true");
    heading.append(el("span", "cop-column-name", column.label), count);
    heading.appendChild(el("span", "cop-visually-hidden", column.count_text));
    section.appendChild(heading);
    if (column.more) section.appendChild(el("p", "cop-column-more", column.more));
    const list = el("ul", "cop-cards");
    list.dataset.status = column.status;
    list.setAttribute("aria-labelledby", headingId);
    for (const card of column.cards) {
      cards.set(String(card.id), card);
      list.appendChild(cardItem(card));
    }
    if (!column.cards.length) {
      const empty = el("li", "cop-column-empty", labels.empty);
      list.appendChild(empty);
    }
    section.appendChild(list);
    board.appendChild(section);
  }
  root.appendChild(board);

  for (const list of board.querySelectorAll(".cop-cards")) {
    sortables.push(
      Sortable.create(list, {
        group: "cop-action-board",
        sort: false, // the order is by due date: only the column is chosen
        draggable: ".cop-card.is-movable",
        filter: ".cop-move",
        preventOnFilter: false,
        animation: 120,
        delay: 250, // on a touch screen a long press picks a card up; a swipe still scrolls
        delayOnTouchOnly: true,
        ghostClass: "is-ghost",
        chosenClass: "is-chosen",
        onEnd: (event) => {
          if (event.from === event.to) return;
          const card = cards.get(event.item.dataset.id);
          if (card) move(card, event.to.dataset.status, false);
        },
      }),
    );
  }

  // After a move by keyboard, focus comes back to the moved card's menu button (or its title).
  const focusId = root.dataset.focusCard;
  if (focusId) {
    root.dataset.focusCard = "";
    const again = board.querySelector(`.cop-card[data-id="${CSS.escape(focusId)}"]`);
    const target = again && (again.querySelector(".cop-move-button") || again.querySelector("a"));
    if (target) target.focus();
  }

  return () => {
    sortables.forEach((sortable) => sortable.destroy());
    closers.forEach((closeIt) => closeIt());
  };
}
