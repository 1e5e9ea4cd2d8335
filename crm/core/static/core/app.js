// ServiceCRM page behaviour on top of htmx: the modal dialog, focus after reloads, tab keys,
// and a message when a request fails. Everything works without it, one page at a time.
(() => {
  "use strict";
  let opener = null; // {id, card}: what opened the modal, to give focus back on close

  const modal = () => document.getElementById("modal");
  const cardOf = (element) => element && element.closest("[data-card]");
  const focusCard = (card) => {
    const heading = card && card.querySelector("h2, h3");
    if (heading) heading.focus();
  };

  // The modal body is only ever filled, never replaced: an opener inside a card would otherwise
  // inherit the card's hx-swap="outerHTML" and take the dialog's body away.
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target && event.detail.target.id === "modal-body") {
      event.detail.swapOverride = "innerHTML";
    }
  });

  // A link marked data-modal opens its form in the modal dialog; without JavaScript it is an
  // ordinary link to the form's own page. (One attribute, where hx-get + hx-target + hx-swap
  // on every row of a long list cost the page's render time.)
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[data-modal]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    htmx.ajax("GET", link.href, { source: link, target: "#modal-body", swap: "innerHTML" });
  });

  // A response swapped into the modal body opens the dialog (keyboard focus moves inside).
  document.addEventListener("htmx:afterSwap", (event) => {
    const dialog = modal();
    if (!dialog || event.detail.target.id !== "modal-body") return;
    if (!dialog.open) {
      const source = event.detail.requestConfig && event.detail.requestConfig.elt;
      const card = cardOf(source);
      opener = { id: source && source.id, card: card && card.id };
      dialog.showModal();
    }
    const first = dialog.querySelector(
      "[aria-invalid=true], input:not([type=hidden]):not([disabled]), select, textarea"
    );
    if (first) first.focus();
  });

  // A form inside the modal that saved (204) closes it; its cards reload themselves.
  document.addEventListener("htmx:afterRequest", (event) => {
    const dialog = modal();
    if (dialog && dialog.open && dialog.contains(event.detail.elt) && event.detail.xhr.status === 204) {
      dialog.close();
    }
  });

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-modal-close]")) {
      const dialog = modal();
      if (dialog && dialog.open) dialog.close();
    }
  });

  // Esc closes the dialog natively; on any close, focus goes back where it came from.
  document.addEventListener("DOMContentLoaded", () => {
    const dialog = modal();
    if (!dialog) return;
    dialog.addEventListener("close", () => {
      const body = document.getElementById("modal-body");
      if (body) body.replaceChildren();
      const back = opener && opener.id && document.getElementById(opener.id);
      if (back) back.focus();
      else if (opener) focusCard(document.getElementById(opener.card));
      opener = null;
    });
  });

  // When a card reloads itself under the keyboard focus, keep the focus in that card.
  let focusWasIn = null;
  document.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    focusWasIn = target && target.contains(document.activeElement) ? target.id : null;
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    const xhr = event.detail.xhr;
    if (xhr && xhr.status === 422) {
      // A refused form: focus its first field in error (or the message above the form).
      const dialog = modal();
      const scope = dialog && dialog.open ? dialog : document;
      const invalid = scope.querySelector("[aria-invalid=true], .form-errors");
      if (invalid) {
        invalid.focus();
        focusWasIn = null;
        return;
      }
    }
    if (!focusWasIn) return;
    const active = document.activeElement;
    if (!active || active === document.body) focusCard(document.getElementById(focusWasIn));
    focusWasIn = null;
  });

  // Tabs: the arrow keys move between the tabs of a tab list (and open the tab).
  document.addEventListener("keydown", (event) => {
    const tab = event.target.closest && event.target.closest("[role=tab]");
    if (!tab || !["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) return;
    const tabs = [...tab.closest("[role=tablist]").querySelectorAll("[role=tab]")];
    const at = tabs.indexOf(tab);
    const next = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: tabs.length - 1 }[event.key];
    const chosen = tabs[(next + tabs.length) % tabs.length];
    event.preventDefault();
    chosen.focus();
    chosen.click();
  });

  // A tab marked data-tab-select that loaded its panel becomes the selected tab of its list.
  document.addEventListener("htmx:afterRequest", (event) => {
    const tab = event.detail.elt;
    if (!event.detail.successful || !tab.matches || !tab.matches("[data-tab-select]")) return;
    for (const each of tab.parentElement.querySelectorAll("[role=tab]")) {
      each.setAttribute("aria-selected", each === tab);
    }
  });

  // A polling section (data-poll-unless-focused) skips its timed reload while the keyboard focus
  // is inside it (htmx's trigger filters would need eval, which the CSP forbids).
  document.addEventListener("htmx:beforeRequest", (event) => {
    const elt = event.detail.elt;
    if (!elt.matches || !elt.matches("[data-poll-unless-focused]")) return;
    const triggered = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    if (!triggered && elt.contains(document.activeElement)) event.preventDefault();
  });

  // A request that fails (not a form refusal, which comes back as 422 with the form) says so.
  const flash = (text) => {
    const box = document.getElementById("flash");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
    clearTimeout(flash.timer);
    flash.timer = setTimeout(() => { box.hidden = true; }, 6000);
  };
  document.addEventListener("htmx:responseError", (event) => {
    const status = event.detail.xhr.status;
    flash(status === 404 ? "That record no longer exists; reload the page."
      : status === 403 ? "You are not allowed to do that (or your session expired)."
      : `The server could not do that (error ${status}). Please try again.`);
  });
  // New customer page: Enter in a picker's search box searches (htmx) instead of sending the form.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-picker-search]")) {
      event.preventDefault();
    }
  });

  // On a phone the Customer View's cards fold to their headings (with their counts) and open
  // on tap. The state is kept here by card id, so a card that reloads itself stays as it was.
  const narrow = window.matchMedia("(max-width: 600px)");
  const openCards = new Set();
  const CARD = ".customer-grid .card";
  const headingOf = (card) => card.querySelector(":scope > h2, :scope > .card-head > h2");
  const foldable = (root) => {
    const cards = root.matches && root.matches(CARD) ? [root] : [...root.querySelectorAll(CARD)];
    return cards.filter((card) => card.id && headingOf(card));
  };
  const fold = (card) => {
    const heading = headingOf(card);
    let toggle = heading.querySelector(":scope > .card-toggle");
    if (!narrow.matches) {
      if (toggle) toggle.replaceWith(...toggle.childNodes);
      card.classList.remove("collapsed");
      return;
    }
    if (!toggle) {
      toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "card-toggle";
      toggle.setAttribute("aria-controls", card.id);
      toggle.append(...heading.childNodes);
      heading.append(toggle);
    }
    const open = openCards.has(card.id);
    toggle.setAttribute("aria-expanded", open);
    card.classList.toggle("collapsed", !open);
  };
  const openCard = (id) => {
    const card = id && document.getElementById(id);
    if (!card || !card.matches(CARD)) return;
    openCards.add(id);
    fold(card);
  };
  htmx.onLoad((root) => {
    if (root === document.body && location.hash) openCards.add(location.hash.slice(1));
    foldable(root).forEach(fold);
  });
  narrow.addEventListener("change", () => foldable(document).forEach(fold));
  document.addEventListener("click", (event) => {
    const toggle = event.target.closest && event.target.closest(".card-toggle");
    if (toggle) {
      const card = toggle.closest(CARD);
      if (openCards.has(card.id)) openCards.delete(card.id);
      else openCards.add(card.id);
      fold(card);
      return;
    }
    // A jump from the section bar opens the card it lands on.
    const jump = event.target.closest && event.target.closest(".section-bar a[href^='#']");
    if (jump) openCard(jump.getAttribute("href").slice(1));
  });

  // Confirmations (crm.core.htmx.confirm sends crm:confirmed): what a save changed, a link to
  // what it made, and Undo. Shown for TOAST_MS (Undo works for 10 minutes on the server), and as
  // long as the pointer or the keyboard focus is on it.
  const TOAST_MS = 12000;
  const toast = { timer: null, held: false, undo: "", reloads: [] };
  const toastBox = () => document.querySelector("#toast .toast-box");
  const toastHide = () => {
    const box = toastBox();
    if (box) box.hidden = true;
    clearTimeout(toast.timer);
  };
  const toastCountdown = () => {
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { if (!toast.held) toastHide(); }, TOAST_MS);
  };
  const toastShow = ({ text, undo = "", link = "", linkText = "" }, refused = false) => {
    const box = toastBox();
    if (!box || !text) return;
    box.querySelector(".toast-text").textContent = text;
    const anchor = box.querySelector(".toast-link");
    anchor.hidden = !link;
    if (link) { anchor.href = link; anchor.textContent = linkText || "Open"; }
    const undoButton = box.querySelector(".toast-undo");
    undoButton.hidden = !undo;
    undoButton.disabled = false;
    toast.undo = undo;
    toast.reloads = [];
    box.classList.toggle("refused", refused);
    box.hidden = false;
    toastCountdown();
  };
  const confirmedIn = (header) => {
    if (!header || header[0] !== "{") return null;
    try { return JSON.parse(header); } catch (error) { return null; }
  };
  document.addEventListener("crm:confirmed", (event) => toastShow(event.detail));
  // The events that came with the confirmed change reload its sections and cards; Undo fires
  // them again so they show the state before.
  document.addEventListener("htmx:afterRequest", (event) => {
    const triggers = event.detail.xhr && confirmedIn(event.detail.xhr.getResponseHeader("HX-Trigger"));
    if (triggers && triggers["crm:confirmed"]) {
      toast.reloads = Object.keys(triggers).filter((name) => name !== "crm:confirmed");
    }
  });
  const csrfToken = () => {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; }
    catch (error) { return ""; }
  };
  const undoPost = async (url, reloads) => {
    let response;
    try {
      response = await fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
      });
    } catch (error) {
      toastShow({ text: "The server cannot be reached. Check the connection and try again." }, true);
      return;
    }
    if (!response.ok) {
      const plain = (response.headers.get("Content-Type") || "").startsWith("text/plain");
      const why = plain ? await response.text() : "";
      toastShow({ text: why || `Could not undo that (error ${response.status}).` }, true);
      return;
    }
    const said = confirmedIn(response.headers.get("HX-Trigger"));
    toastShow({ text: (said && said["crm:confirmed"] && said["crm:confirmed"].text) || "Undone." });
    for (const name of reloads) htmx.trigger(document.body, name);
  };
  document.addEventListener("click", (event) => {
    const box = event.target.closest && event.target.closest("#toast");
    if (!box) return;
    if (event.target.closest(".toast-close")) { toast.held = false; toastHide(); return; }
    const button = event.target.closest(".toast-undo");
    if (!button || !toast.undo || button.disabled) return;
    button.disabled = true;
    box.querySelector(".toast-close").focus(); // the Undo button goes away; focus stays here
    undoPost(toast.undo, toast.reloads);
  });
  for (const [name, held] of [["mouseenter", true], ["mouseleave", false], ["focusin", true], ["focusout", false]]) {
    document.addEventListener(name, (event) => {
      if (!event.target.closest || !event.target.closest("#toast")) return;
      toast.held = held;
      if (!held) toastCountdown();
    }, true);
  }

  // A step that cannot be undone (Send now) asks first: its hx-confirm question in the #ask
  // dialog (not window.confirm), the yes button named by data-confirm-yes.
  const ask = { pending: null, opener: null };
  document.addEventListener("htmx:confirm", (event) => {
    const dialog = document.getElementById("ask");
    if (!event.detail.question || !dialog) return;
    event.preventDefault();
    const named = event.detail.elt.closest("[data-confirm-yes]");
    dialog.querySelector("#ask-question").textContent = event.detail.question;
    dialog.querySelector("#ask-yes").textContent = named ? named.dataset.confirmYes : "Yes";
    ask.pending = event.detail;
    ask.opener = document.activeElement;
    dialog.showModal();
    dialog.querySelector("#ask-no").focus();
  });
  document.addEventListener("click", (event) => {
    const dialog = document.getElementById("ask");
    if (!dialog || !dialog.open || !event.target.closest) return;
    if (event.target.closest("#ask-yes")) {
      const pending = ask.pending;
      ask.pending = null;
      dialog.close();
      if (pending) pending.issueRequest(true);
    } else if (event.target.closest("#ask-no")) {
      dialog.close();
    }
  });
  document.addEventListener("DOMContentLoaded", () => {
    const dialog = document.getElementById("ask");
    if (!dialog) return;
    dialog.addEventListener("close", () => {
      ask.pending = null;
      if (ask.opener && ask.opener.isConnected) ask.opener.focus();
      ask.opener = null;
    });
  });

  document.addEventListener("htmx:sendError", () => flash("The server cannot be reached. Check the connection and try again."));

  // A select whose options carry data-fill (a location's address) writes it into the field its
  // data-fills names (the booking form's service address); without JavaScript the server does.
  document.addEventListener("change", (event) => {
    const select = event.target;
    if (!select.matches || !select.matches("select[data-fills]")) return;
    const target = document.getElementById(select.dataset.fills);
    const option = select.selectedOptions[0];
    if (target && option && option.dataset.fill !== undefined) target.value = option.dataset.fill;
  });
})();
