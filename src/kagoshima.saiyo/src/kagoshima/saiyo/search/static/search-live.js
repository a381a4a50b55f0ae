/* サイト内検索の候補表示 (live search) for the header's search box.
   Visitors get no Plone patterns (no editing JavaScript), so the livesearch pattern cannot run
   for them; this small script asks the same @@ajax-search (the results page's ranking) and shows
   the first results under the box as a list of plain links: ↓ moves into the list, ↑↓ between the
   links, Enter opens one, Esc closes the list and returns to the box. The count is announced in a
   status region. (Links, not an ARIA listbox: options may not contain links, and links keep
   "open in a new tab".)
   Without JavaScript the box is a plain GET form to @@search. */
(function () {
  "use strict";

  var MIN_CHARS = 2; // Japanese words are short: 「給与」 is two characters
  var DELAY = 300;
  var PER_PAGE = 7;

  function init(form) {
    var input = form.querySelector('input[name="SearchableText"]');
    var url = form.getAttribute("data-saiyo-livesearch");
    if (!input || !url || form.saiyoLive) return;
    form.saiyoLive = true;

    var css = form.getAttribute("data-saiyo-livesearch-css");
    if (css && !document.querySelector('link[href="' + css + '"]')) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = css;
      document.head.appendChild(link);
    }

    var panel = document.createElement("div");
    panel.className = "saiyo-live";
    panel.id = "saiyo-live";
    panel.hidden = true;
    var list = document.createElement("ul");
    list.className = "saiyo-live__list";
    list.id = "saiyo-live-list";
    list.setAttribute("aria-label", "検索候補");
    var message = document.createElement("p");
    message.className = "saiyo-live__message";
    message.hidden = true;
    panel.appendChild(message);
    panel.appendChild(list);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.parentNode.appendChild(panel);
    form.parentNode.appendChild(status);

    input.setAttribute("aria-controls", panel.id);

    var timer = null;
    var controller = null;
    var lastQuery = "";

    function links() {
      return Array.prototype.slice.call(list.querySelectorAll("a"));
    }

    function close() {
      panel.hidden = true;
      form.parentNode.classList.remove("saiyo-live-open");
    }

    function open() {
      panel.hidden = false;
      form.parentNode.classList.add("saiyo-live-open");
    }

    function option(id, href, title, meta, extraClass) {
      var item = document.createElement("li");
      item.id = id;
      item.className = "saiyo-live__option" + (extraClass ? " " + extraClass : "");
      var anchor = document.createElement("a");
      anchor.href = href;
      var heading = document.createElement("span");
      heading.className = "saiyo-live__title";
      heading.textContent = title;
      anchor.appendChild(heading);
      if (meta) {
        var line = document.createElement("span");
        line.className = "saiyo-live__meta";
        line.textContent = meta;
        anchor.appendChild(line);
      }
      item.appendChild(anchor);
      return item;
    }

    function render(query, data) {
      list.textContent = "";
      var all = form.action + "?SearchableText=" + encodeURIComponent(query);
      if (!data.total) {
        message.textContent = "『" + query + "』に一致するページは見つかりませんでした。Enter で検索ページを開きます。";
        message.hidden = false;
        status.textContent = "一致するページは見つかりませんでした。";
        open();
        return;
      }
      message.hidden = true;
      data.items.forEach(function (item, number) {
        var meta = [item.type, item.status, item.section]
          .filter(function (part, index, parts) {
            return part && parts.indexOf(part) === index;
          })
          .join("　");
        list.appendChild(option("saiyo-live-" + number, item.url, item.title, meta));
      });
      list.appendChild(
        option("saiyo-live-all", data.url || all, "『" + query + "』の検索結果をすべて見る（" + data.total + "件）", "", "saiyo-live__all")
      );
      status.textContent = data.total + "件見つかりました。下矢印キーで候補に移動できます。";
      open();
    }

    function search() {
      var query = input.value.trim();
      if (query.length < MIN_CHARS) {
        lastQuery = "";
        close();
        return;
      }
      if (query === lastQuery && !panel.hidden) return;
      lastQuery = query;
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var address = url + "?SearchableText=" + encodeURIComponent(query) + "&perPage=" + PER_PAGE;
      fetch(address, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          if (query === input.value.trim()) render(query, data);
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") return;
          list.textContent = "";
          message.textContent = "候補を表示できませんでした。Enter で検索ページを開きます。";
          message.hidden = false;
          open();
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (event.isComposing) return; // the IME is converting: its keys are not for us
      if (event.key === "ArrowDown" && !panel.hidden && links().length) {
        event.preventDefault();
        links()[0].focus();
      } else if (event.key === "Escape" && !panel.hidden) {
        event.preventDefault();
        close();
      }
    });
    list.addEventListener("keydown", function (event) {
      var all = links();
      var index = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var next = index + (event.key === "ArrowDown" ? 1 : -1);
        if (next < 0) input.focus();
        else all[Math.min(next, all.length - 1)].focus();
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
        input.focus();
      }
    });
    form.parentNode.addEventListener("focusout", function (event) {
      if (!form.parentNode.contains(event.relatedTarget)) setTimeout(close, 150);
    });
    document.addEventListener("click", function (event) {
      if (!form.parentNode.contains(event.target)) close();
    });
  }

  function start() {
    document.querySelectorAll("form[data-saiyo-livesearch]").forEach(init);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
