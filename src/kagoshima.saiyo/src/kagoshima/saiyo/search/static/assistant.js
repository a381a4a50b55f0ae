/* 質問する: sends the assistant's form to POST ++api++/@assistant and shows the answer in the
   form's aria-live region, without leaving the page. Without JavaScript (or when the request
   fails on the network) the form is posted to @@saiyo-assistant as a plain HTML form.
   No library, no inline script (the site's Content-Security-Policy forbids them). */
(function () {
  "use strict";
  if (window.saiyoAssistantLoaded) {
    return; // several boxes on one page each carry the script tag
  }
  window.saiyoAssistantLoaded = true;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text; // text, never markup: a question or an answer cannot inject HTML
    }
    return node;
  }

  function linkList(className, items) {
    var list = element("ul", className);
    items.forEach(function (item) {
      var li = element("li");
      var a = element("a", "", item.title);
      a.href = item["@id"];
      li.appendChild(a);
      list.appendChild(li);
    });
    return list;
  }

  function show(region, data) {
    region.textContent = "";
    var answer = element("div", "saiyo-assistant__answer");
    answer.setAttribute("data-found", data.found ? "true" : "false");
    String(data.answer || "")
      .split("\n")
      .filter(function (line) { return line.trim(); })
      .forEach(function (line) { answer.appendChild(element("p", "", line)); });
    region.appendChild(answer);
    if (data.sources && data.sources.length) {
      region.appendChild(element("p", "saiyo-assistant__sources-title", "出典"));
      region.appendChild(linkList("saiyo-assistant__sources", data.sources));
    }
    if (!data.found && data.links && data.links.length) {
      region.appendChild(linkList("saiyo-assistant__links", data.links));
    }
  }

  function showError(region, message) {
    region.textContent = "";
    region.appendChild(element("p", "saiyo-assistant__error alert alert-warning", message));
  }

  function enhance(form) {
    var region = document.getElementById(form.closest("section").id + "-result");
    var input = form.querySelector("input[name=question]");
    var button = form.querySelector("button[type=submit]");
    var api = form.getAttribute("data-api");
    if (!region || !input || !api || !window.fetch) {
      return;
    }
    form.addEventListener("submit", function (event) {
      var question = input.value.trim();
      if (!question) {
        return; // the browser's own "required" message
      }
      event.preventDefault();
      button.disabled = true;
      region.setAttribute("aria-busy", "true");
      region.textContent = "";
      region.appendChild(element("p", "saiyo-assistant__waiting", "答えを探しています…"));
      fetch(api, {
        method: "POST",
        headers: { "Accept": "application/json", "Content-Type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ question: question })
      })
        .then(function (response) {
          return response.json().then(function (data) {
            if (!response.ok) {
              showError(region, data.message || "質問を送信できませんでした。もう一度お試しください。");
            } else {
              show(region, data);
            }
          });
        })
        .catch(function () {
          // Network trouble: the plain form still works.
          form.submit();
        })
        .then(function () {
          button.disabled = false;
          region.removeAttribute("aria-busy");
        });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.saiyo-assistant__form"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
