// The Markdown editor in the browser: a labelled text area, a toolbar that writes Markdown at
// the selection, and a live preview drawn by markdown-it.
//
// The stored format is the Markdown typed: the toolbar only inserts its marks into the text
// area (through the browser's own editing, so Ctrl+Z undoes them). The preview is rendered with
// raw HTML off (markdown-it escapes every tag typed) and links limited to http(s), mailto and
// relative addresses, as the pages render the saved text (cop.core.markdown). Labels come from
// the server in the reader's language and are set with textContent.
//
// What is typed goes back to Python as the component's state "edit" ({text, id}: a new id for
// every change). Inside an st.form the browser keeps it with the form's other values until the
// form is submitted; elsewhere it is sent once typing pauses and when the text area loses focus.
// The editor lives on across the server's reruns: new data only replaces the text when the
// server holds something other than what was typed (a form filled afresh after a save).
//
// Mentions: given the community's member names (data.mentions), "@" and two letters open a
// list of the names that match; the arrow keys move in it, Enter or Tab (or a click) writes
// "@Name " in place of what was typed, Escape closes it. The text keeps the readable "@Name".

// markdown-it comes with one editor of each run (the others would repeat 100 kB every run):
// that editor's module has it as `markdownit`, the others as null. The first to have it
// shares the configured renderer with every editor on the page.
function configure(library) {
  const markdown = library("commonmark", { html: false, linkify: false, typographer: false })
    .enable(["table", "strikethrough"])
    .disable(["image"]); // the pages drop images from user text; the preview shows what they show
  const SAFE = /^(https?|mailto):/i;
  markdown.validateLink = (url) => {
    const bare = String(url).replace(/[\s\u0000-\u001f\u007f]/g, "").toLowerCase();
    const scheme = bare.split("/", 1)[0];
    return !scheme.includes(":") || SAFE.test(bare);
  };
  const plainLink = markdown.renderer.rules.link_open;
  markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
    // A link in the preview opens in a new tab: following it here would leave the form.
    tokens[index].attrSet("target", "_blank");
    tokens[index].attrSet("rel", "noopener noreferrer nofollow");
    return plainLink
      ? plainLink(tokens, index, options, env, self)
      : self.renderToken(tokens, index, options);
  };
  return markdown;
}

const shared = (globalThis.__copMarkdownEditor ??= { markdown: null, waiting: [] });
if (markdownit && !shared.markdown) {
  shared.markdown = configure(markdownit);
  shared.waiting.splice(0).forEach((draw) => draw());
}

const SVG = "http://www.w3.org/2000/svg";
// Each icon: shapes in a 20 x 20 box, drawn with the text colour.
const ICONS = {
  heading: [["path", { d: "M5 4v12M13 4v12M5 10h8" }]],
  bold: [["path", { d: "M6 4h5a3 3 0 0 1 0 6H6zM6 10h6a3 3 0 0 1 0 6H6z" }]],
  italic: [["path", { d: "M9 4h6M5 16h6M12 4l-4 12" }]],
  bullets: [
    ["circle", { cx: "4", cy: "5", r: "1.2" }],
    ["circle", { cx: "4", cy: "10", r: "1.2" }],
    ["circle", { cx: "4", cy: "15", r: "1.2" }],
    ["path", { d: "M8 5h9M8 10h9M8 15h9" }],
  ],
  numbers: [
    ["path", { d: "M3 3.5l1.5-1v5M3 8h3M3 12.5a1.5 1.5 0 1 1 2.5 1L3 17h3M9 5h8M9 10h8M9 15h8" }],
  ],
  link: [
    ["path", { d: "M8.5 11.5a3 3 0 0 0 4.2 0l3-3a3 3 0 0 0-4.2-4.2l-1 1" }],
    ["path", { d: "M11.5 8.5a3 3 0 0 0-4.2 0l-3 3a3 3 0 0 0 4.2 4.2l1-1" }],
  ],
  table: [
    ["rect", { x: "3", y: "4", width: "14", height: "12", rx: "1" }],
    ["path", { d: "M3 8h14M3 12h14M10 4v12" }],
  ],
  preview: [
    ["path", { d: "M2 10s3-5.5 8-5.5S18 10 18 10s-3 5.5-8 5.5S2 10 2 10z" }],
    ["circle", { cx: "10", cy: "10", r: "2.3" }],
  ],
};

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null && text !== "") node.textContent = String(text);
  return node;
}

function icon(name) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 20 20");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  for (const [tag, attributes] of ICONS[name]) {
    const shape = document.createElementNS(SVG, tag);
    for (const [attribute, value] of Object.entries(attributes)) shape.setAttribute(attribute, value);
    svg.appendChild(shape);
  }
  return svg;
}

let editors = 0;
const session = Math.random().toString(36).slice(2, 10);

// --- editing the text -------------------------------------------------------------------------

// Replace [start, end) with text through the browser's editing, so Ctrl+Z undoes it, then
// select [from, to). Falls back to setRangeText where execCommand is not offered.
function replace(area, start, end, text, from, to) {
  area.focus();
  area.setSelectionRange(start, end);
  let done = false;
  try {
    done = document.execCommand("insertText", false, text);
  } catch (error) {
    done = false;
  }
  if (!done || area.value.slice(start, start + text.length) !== text) {
    area.setRangeText(text, start, end, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }
  area.setSelectionRange(from, to);
}

// Wrap the selection in a mark (** or _); the marks come off again when they are already there.
function wrap(area, mark, placeholder) {
  const { selectionStart: start, selectionEnd: end, value } = area;
  const chosen = value.slice(start, end);
  const before = value.slice(Math.max(0, start - mark.length), start);
  const after = value.slice(end, end + mark.length);
  if (chosen && before === mark && after === mark) {
    replace(area, start - mark.length, end + mark.length, chosen, start - mark.length, end - mark.length);
    return;
  }
  if (chosen.length > 2 * mark.length && chosen.startsWith(mark) && chosen.endsWith(mark)) {
    const inner = chosen.slice(mark.length, chosen.length - mark.length);
    replace(area, start, end, inner, start, start + inner.length);
    return;
  }
  // Spaces stay outside the marks: "**word **" is not bold in Markdown.
  const lead = chosen.length - chosen.trimStart().length;
  const trail = chosen.length - chosen.trimEnd().length;
  const word = chosen.trim() || placeholder;
  const text = chosen.slice(0, lead) + mark + word + mark + chosen.slice(chosen.length - trail);
  const from = start + lead + mark.length;
  replace(area, start, end, text, from, from + word.length);
}

// The whole lines the selection touches: [start of the first, end of the last).
function lineRange(area) {
  const { selectionStart: start, selectionEnd: end, value } = area;
  const first = value.lastIndexOf("\n", start - 1) + 1;
  const stop = end > start && value[end - 1] === "\n" ? end - 1 : end;
  let last = value.indexOf("\n", stop);
  if (last < 0) last = value.length;
  return [first, last];
}

function changeLines(area, change) {
  const [first, last] = lineRange(area);
  const lines = area.value.slice(first, last).split("\n");
  const text = change(lines).join("\n");
  replace(area, first, last, text, first, first + text.length);
  if (lines.length === 1) area.setSelectionRange(first + text.length, first + text.length);
}

// Heading: ## first, ### the next time, then back to a paragraph.
function heading(area) {
  changeLines(area, (lines) =>
    lines.map((line) => {
      const match = /^(#{1,6})\s+/.exec(line);
      const bare = match ? line.slice(match[0].length) : line;
      if (!match) return `## ${line}`;
      return match[1].length === 2 ? `### ${bare}` : match[1].length === 3 ? bare : `## ${bare}`;
    }),
  );
}

const BULLET = /^\s*[-*+]\s+/;
const NUMBER = /^\s*\d+[.)]\s+/;

function list(area, numbered) {
  changeLines(area, (lines) => {
    const own = numbered ? NUMBER : BULLET;
    const filled = lines.filter((line) => line.trim());
    if (filled.length && filled.every((line) => own.test(line))) {
      return lines.map((line) => line.replace(own, "")); // a second click takes the marks off
    }
    let n = 0;
    return lines.map((line) => {
      if (!line.trim() && lines.length > 1) return line;
      const bare = line.replace(BULLET, "").replace(NUMBER, "");
      n += 1;
      return `${numbered ? `${n}.` : "-"} ${bare}`;
    });
  });
}

function link(area, placeholder) {
  const { selectionStart: start, selectionEnd: end, value } = area;
  const chosen = value.slice(start, end).trim();
  const address = "https://";
  if (/^(https?:\/\/|mailto:)\S+$/i.test(chosen)) {
    const text = `[${placeholder}](${chosen})`;
    replace(area, start, end, text, start + 1, start + 1 + placeholder.length);
    return;
  }
  const words = chosen || placeholder;
  const text = `[${words}](${address})`;
  const from = start + words.length + 3;
  replace(area, start, end, text, from, from + address.length);
}

// A table of two columns on lines of its own, its first header cell selected.
function table(area, labels) {
  const { selectionStart: start, selectionEnd: end, value } = area;
  const [one, two] = [labels.column.replace("{n}", "1"), labels.column.replace("{n}", "2")];
  const rows = [`| ${one} | ${two} |`, "| --- | --- |", "|  |  |", "|  |  |"].join("\n");
  const before = value.slice(0, start);
  const lead = !before ? "" : before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
  const rest = value.slice(end);
  const trail = !rest ? "\n" : rest.startsWith("\n\n") ? "" : rest.startsWith("\n") ? "\n" : "\n\n";
  const from = start + lead.length + 2;
  replace(area, start, end, lead + rows + trail, from, from + one.length);
}

// --- mentions ---------------------------------------------------------------------------------

// "@" at the start or after a space or punctuation, then two or more characters up to the caret.
const MENTION = /(^|[^\p{L}\p{N}_@])@([\p{L}\p{N}][^\n@]{1,40})$/u;

function mentionAt(area) {
  if (area.selectionStart !== area.selectionEnd) return null;
  const match = MENTION.exec(area.value.slice(0, area.selectionStart));
  if (!match) return null;
  return { start: area.selectionStart - match[2].length - 1, query: match[2].toLocaleLowerCase() };
}

function matching(names, query) {
  const starts = [];
  const inside = [];
  for (const name of names) {
    const lower = String(name).toLocaleLowerCase();
    if (lower.startsWith(query)) starts.push(name);
    else if (lower.split(/\s+/).some((word) => word.startsWith(query))) inside.push(name);
  }
  return starts.concat(inside).slice(0, 8);
}

function mentionList(editor, id) {
  const { area } = editor;
  const list = el("ul", "cop-md-mentions");
  list.id = `${id}-mentions`;
  list.setAttribute("role", "listbox");
  list.setAttribute("data-testid", "copMentionList");
  list.hidden = true;
  area.setAttribute("aria-autocomplete", "list");
  area.setAttribute("aria-controls", list.id);
  // No aria-expanded: a text area (role textbox) may not carry it (axe: aria-allowed-attr);
  // the open list is announced through aria-activedescendant on the option in focus.
  const state = { found: [], active: 0, at: null };

  const close = () => {
    list.hidden = true;
    list.replaceChildren();
    state.found = [];
    state.at = null;
    area.removeAttribute("aria-activedescendant");
  };
  const mark = () => {
    [...list.children].forEach((option, index) => {
      const on = index === state.active;
      option.setAttribute("aria-selected", String(on));
      option.classList.toggle("is-active", on);
      if (on) area.setAttribute("aria-activedescendant", option.id);
    });
  };
  const pick = (index) => {
    const name = state.found[index];
    const at = state.at;
    close();
    if (name === undefined || !at) return;
    const text = `@${name} `;
    const end = at.start + text.length;
    replace(area, at.start, area.selectionStart, text, end, end);
  };
  const open = () => {
    const names = editor.data.mentions || [];
    const at = names.length ? mentionAt(area) : null;
    const found = at ? matching(names, at.query) : [];
    if (!found.length) {
      close();
      return;
    }
    state.found = found;
    state.at = at;
    state.active = Math.min(state.active, found.length - 1);
    list.setAttribute("aria-label", editor.data.labels.mentions || "");
    list.replaceChildren(
      ...found.map((name, index) => {
        const option = el("li", "cop-md-mention", name);
        option.id = `${list.id}-${index}`;
        option.setAttribute("role", "option");
        option.addEventListener("mousedown", (event) => event.preventDefault());
        option.addEventListener("click", () => pick(index));
        return option;
      }),
    );
    list.hidden = false;
    mark();
  };

  area.addEventListener("input", () => {
    if (!state.at) state.active = 0;
    open();
  });
  area.addEventListener("click", open);
  area.addEventListener("blur", close);
  area.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      state.active = (state.active + step + state.found.length) % state.found.length;
      mark();
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      event.stopPropagation();
      pick(state.active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  });
  return list;
}

// --- the component ----------------------------------------------------------------------------

function build(root, data) {
  editors += 1;
  const id = `cop-md-${session}-${editors}`;
  const labels = data.labels;
  const box = el("div", "cop-md");
  box.style.setProperty("--cop-md-height", `${Number(data.height) || 200}px`);

  const label = el("label", "cop-md-label", data.label);
  label.htmlFor = id;

  const area = el("textarea", "cop-md-input");
  area.id = id;
  area.spellcheck = true;
  area.value = data.value || "";
  area.setAttribute("data-testid", "copMarkdownInput");
  area.placeholder = data.placeholder || "";
  if (data.max_chars) area.maxLength = Number(data.max_chars);

  const tools = el("div", "cop-md-toolbar");
  tools.setAttribute("role", "toolbar");
  tools.setAttribute("aria-label", labels.toolbar);
  tools.setAttribute("aria-controls", id);
  const buttons = [];
  const tool = (name, text, shortcut, action) => {
    const button = el("button", `cop-md-tool cop-md-${name}`);
    button.type = "button";
    button.setAttribute("aria-label", text);
    button.title = shortcut ? `${text} (${shortcut})` : text;
    if (shortcut) button.setAttribute("aria-keyshortcuts", shortcut.replace("Ctrl", "Control"));
    button.tabIndex = buttons.length ? -1 : 0;
    button.appendChild(icon(name));
    // A mouse press would take the focus, and with it the selection, from the text area.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", action);
    buttons.push(button);
    tools.appendChild(button);
    return button;
  };
  tool("heading", labels.heading, "", () => heading(area));
  tool("bold", labels.bold, "Ctrl+B", () => wrap(area, "**", labels.bold_text));
  tool("italic", labels.italic, "Ctrl+I", () => wrap(area, "_", labels.italic_text));
  tool("bullets", labels.bullets, "", () => list(area, false));
  tool("numbers", labels.numbers, "", () => list(area, true));
  tool("link", labels.link, "", () => link(area, labels.link_text));
  tool("table", labels.table, "", () => table(area, labels));
  tools.appendChild(el("span", "cop-md-gap"));
  const toggle = el("button", "cop-md-tool cop-md-toggle");
  toggle.type = "button";
  toggle.tabIndex = -1;
  toggle.setAttribute("aria-label", labels.preview);
  toggle.title = labels.preview;
  toggle.setAttribute("aria-pressed", "true");
  toggle.append(icon("preview"), el("span", "cop-md-toggle-text", labels.preview));
  buttons.push(toggle);
  tools.appendChild(toggle);

  // One tab stop for the toolbar; the arrow keys move along it.
  tools.addEventListener("keydown", (event) => {
    const at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    const step = { ArrowRight: 1, ArrowLeft: -1, Home: -at, End: buttons.length - 1 - at }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const next = buttons[(at + step + buttons.length) % buttons.length];
    buttons.forEach((button) => (button.tabIndex = button === next ? 0 : -1));
    next.focus();
  });

  const panes = el("div", "cop-md-panes");
  const write = el("div", "cop-md-write");
  write.appendChild(area);
  const side = el("div", "cop-md-side");
  const previewId = `${id}-preview`;
  const title = el("div", "cop-md-preview-title", labels.preview);
  title.id = `${previewId}-title`;
  const frame = el("div", "cop-md-preview-frame");
  const preview = el("div", "cop-md-preview");
  preview.id = previewId;
  preview.setAttribute("role", "region");
  preview.setAttribute("aria-labelledby", title.id);
  preview.tabIndex = 0; // scrolls by keyboard
  preview.setAttribute("data-testid", "copMarkdownPreview");
  frame.appendChild(preview);
  side.append(title, frame);
  panes.append(write, side);

  const count = el("div", "cop-md-count");
  count.id = `${id}-count`;
  count.setAttribute("aria-live", "polite");
  if (data.max_chars) area.setAttribute("aria-describedby", count.id);

  box.append(label, tools, panes);
  if (data.max_chars) box.appendChild(count);
  root.appendChild(box);

  const editor = {
    area,
    box,
    api: null,
    data,
    lastSent: undefined,
    seq: 0,
    timer: 0,
    frame: 0,
    mount: Math.random().toString(36).slice(2, 10),
  };
  // The list of names to mention sits under the panes (inside a popover nothing clips it).
  panes.after(mentionList(editor, id));

  const draw = () => {
    editor.frame = 0;
    const text = area.value;
    if (!shared.markdown) {
      shared.waiting.push(draw); // drawn once markdown-it is here
    } else if (text.trim()) {
      preview.innerHTML = shared.markdown.render(text); // raw HTML is escaped: html is off
      preview.classList.remove("is-empty");
    } else {
      preview.textContent = editor.data.labels.empty;
      preview.classList.add("is-empty");
    }
    if (editor.data.max_chars) {
      count.textContent = editor.data.labels.count
        .replace("{n}", new Intl.NumberFormat(editor.data.language).format(text.length))
        .replace("{max}", new Intl.NumberFormat(editor.data.language).format(editor.data.max_chars));
    }
  };
  editor.draw = () => {
    if (!editor.frame) editor.frame = requestAnimationFrame(draw);
  };
  editor.drawNow = draw;

  editor.send = () => {
    clearTimeout(editor.timer);
    editor.timer = 0;
    const text = area.value;
    if (text === editor.lastSent || !editor.api) return;
    editor.lastSent = text;
    editor.seq += 1;
    editor.api.setStateValue("edit", { text, id: `${editor.mount}-${editor.seq}` });
  };

  area.addEventListener("input", () => {
    editor.draw();
    if (editor.inForm) {
      editor.send(); // kept with the form's values until it is submitted: no rerun
    } else {
      clearTimeout(editor.timer);
      editor.timer = setTimeout(editor.send, 1000);
    }
  });
  area.addEventListener("blur", () => editor.send());
  area.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const key = event.key.toLowerCase();
    if (key === "b") {
      event.preventDefault();
      wrap(area, "**", editor.data.labels.bold_text);
    } else if (key === "i") {
      event.preventDefault();
      wrap(area, "_", editor.data.labels.italic_text);
    }
  });
  toggle.addEventListener("click", () => {
    const shown = toggle.getAttribute("aria-pressed") !== "true";
    toggle.setAttribute("aria-pressed", String(shown));
    box.classList.toggle("is-writing-only", !shown);
    if (shown) editor.drawNow();
  });
  return editor;
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  if (!data || !data.labels) return undefined;
  const root = parentElement;
  let editor = root.__copMarkdownEditor;
  if (!editor || !root.contains(editor.box)) {
    editor = build(root, data);
    root.__copMarkdownEditor = editor;
  } else if (
    data.value !== editor.lastSent &&
    data.value !== editor.area.value &&
    !editor.timer // nothing typed is waiting to be sent
  ) {
    // The server holds other text than was typed here (the form was filled afresh).
    editor.area.value = data.value;
    editor.lastSent = undefined;
  }
  editor.data = data;
  editor.area.placeholder = data.placeholder || "";
  editor.api = { setStateValue };
  editor.inForm = Boolean(root.closest('[data-testid="stForm"]'));
  editor.drawNow();
  return () => {
    // The server redraws with new data, or the editor goes: what was typed is not kept waiting.
    if (editor.timer) editor.send();
  };
}
