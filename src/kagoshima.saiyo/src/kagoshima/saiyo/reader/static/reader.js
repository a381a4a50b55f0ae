/* 音声読み上げ: reads the main content aloud with the browser's Web Speech API (ja-JP).
   No library, no request: the browser's own voices. The panel is rendered by the viewlet
   (reader/templates/reader.pt); links with class "saiyo-utility-reader" open it. */
(function () {
  "use strict";

  var MAX_LENGTH = 200; // Chromium stops utterances after ~15 s: speak sentence-sized pieces.
  var SKIP = "nav, footer, aside.portlet, form, button, input, select, textarea, script, style, " +
    "noscript, template, iframe, audio, video, [hidden], [aria-hidden='true'], [role='navigation'], " +
    "[role='contentinfo'], #portal-column-one, #portal-column-two, #saiyo-reader, .saiyo-reader-skip, #viewlet-below-content, .documentActions";
  var BLOCK = /^(ADDRESS|ARTICLE|BLOCKQUOTE|CAPTION|DD|DETAILS|DIV|DL|DT|FIELDSET|FIGCAPTION|FIGURE|H[1-6]|HR|LI|MAIN|OL|P|PRE|SECTION|SUMMARY|TABLE|TBODY|TD|TFOOT|TH|THEAD|TR|UL)$/;
  var END = "。！？!?．";
  var CLOSE = "」』）)】〕”’";
  var CURRENT = "saiyo-reader-current";

  var synth = window.speechSynthesis;
  var supported = !!synth && typeof window.SpeechSynthesisUtterance === "function";
  var panel, toggle, stopButton, rateSelect, statusLine, progress;
  var sentences = [];
  var index = 0;
  var state = "idle"; // idle | playing | paused
  var generation = 0; // bumps on every cancel, so late events of a cancelled utterance are ignored
  var utterance = null; // kept referenced: Chromium drops events of collected utterances
  var highlighted = null;

  /* ---- Text: blocks of the main content in document order, cut into sentences ---- */

  function skipped(element) {
    if (element.matches(SKIP)) return true;
    var style = window.getComputedStyle(element);
    return style.display === "none" || style.visibility === "hidden";
  }

  function collectBlocks(root) {
    var blocks = [];
    var block = null;

    function open(element) {
      block = { element: element, text: "", map: [] };
    }
    function close() {
      if (block && block.text.trim()) blocks.push(block);
      block = null;
    }
    function add(text, node, offsets) {
      for (var i = 0; i < text.length; i++) {
        block.text += text[i];
        block.map.push([node, offsets ? offsets[i] : i]);
      }
    }
    function addText(node, pre) {
      var data = node.data;
      var text = "";
      var offsets = [];
      for (var i = 0; i < data.length; i++) {
        var ch = data[i];
        if (!pre && /\s/.test(ch)) {
          if (/\s$/.test(block.text + text)) continue; // collapse white space like the browser
          ch = " ";
        }
        text += ch;
        offsets.push(i);
      }
      add(text, node, offsets);
    }
    function addImage(element, alt) {
      var owner = block ? block.element : element;
      close();
      open(element);
      add("画像：" + alt + "。", element, null);
      close();
      open(owner);
    }
    function walk(node, pre) {
      for (var child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === 3) {
          if (!block) open(node);
          addText(child, pre);
        } else if (child.nodeType === 1) {
          if (skipped(child)) continue;
          var tag = child.tagName;
          var alt = child.getAttribute("alt");
          if (tag === "IMG" || tag === "AREA" || child.getAttribute("role") === "img") {
            alt = (alt || child.getAttribute("aria-label") || "").trim();
            if (alt) addImage(child, alt);
          } else if (tag === "BR") {
            if (!block) open(node);
            add("\n", child, null);
          } else if (BLOCK.test(tag)) {
            var owner = block ? block.element : node;
            close();
            open(child);
            walk(child, pre || tag === "PRE");
            close();
            open(owner);
          } else {
            if (!block) open(node);
            walk(child, pre);
          }
        }
      }
    }
    walk(root, false);
    close();
    return blocks;
  }

  function splitBlock(block) {
    var result = [];
    var text = block.text;
    var start = 0;
    function push(end) {
      var raw = text.slice(start, end);
      var lead = raw.length - raw.replace(/^\s+/, "").length;
      var body = raw.trim();
      if (/[^\s\p{P}\p{S}]/u.test(body)) {
        result.push({ text: body, block: block, start: start + lead, end: start + lead + body.length });
      }
      start = end;
    }
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (ch === "\n") {
        push(i + 1);
      } else if (END.indexOf(ch) >= 0 && (ch !== "." || /\s/.test(text[i + 1] || " "))) {
        while (i + 1 < text.length && CLOSE.indexOf(text[i + 1]) >= 0) i++;
        push(i + 1);
      } else if (i - start + 1 >= MAX_LENGTH) {
        // too long without a full stop: cut after the last 、 or space, else here
        var cut = Math.max(text.lastIndexOf("、", i), text.lastIndexOf("，", i), text.lastIndexOf(" ", i));
        push(cut > start + MAX_LENGTH / 2 ? cut + 1 : i + 1);
      }
    }
    push(text.length);
    return result;
  }

  function readableSentences() {
    // Plone's article#content holds the title, description and body; <main> also has the portlets
    var root = document.getElementById("content") || document.querySelector("main, [role='main']") || document.body;
    var list = [];
    collectBlocks(root).forEach(function (block) {
      list = list.concat(splitBlock(block));
    });
    return list;
  }

  /* ---- Highlight and scroll ---- */

  function rangeOf(sentence) {
    var map = sentence.block.map;
    var first = map[sentence.start];
    var last = map[sentence.end - 1];
    var range = document.createRange();
    try {
      if (first[0].nodeType === 3) range.setStart(first[0], first[1]);
      else range.setStartBefore(first[0]);
      if (last[0].nodeType === 3) range.setEnd(last[0], last[1] + 1);
      else range.setEndAfter(last[0]);
    } catch (error) {
      range.selectNodeContents(sentence.block.element);
    }
    return range;
  }

  function highlight(sentence) {
    clearHighlight();
    if (!sentence) return;
    highlighted = sentence.block.element;
    highlighted.classList.add(CURRENT);
    if (window.CSS && CSS.highlights && window.Highlight) {
      CSS.highlights.set("saiyo-reader", new Highlight(rangeOf(sentence)));
    }
    var box = highlighted.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) {
      var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      highlighted.scrollIntoView({ block: "center", behavior: reduce ? "auto" : "smooth" });
    }
  }

  function clearHighlight() {
    if (highlighted) highlighted.classList.remove(CURRENT);
    highlighted = null;
    if (window.CSS && CSS.highlights) CSS.highlights.delete("saiyo-reader");
  }

  /* ---- Voices ---- */

  function japaneseVoice() {
    var voices = synth.getVoices() || [];
    var japanese = voices.filter(function (voice) {
      return /^ja([-_]|$)/i.test(voice.lang || "");
    });
    var local = japanese.filter(function (voice) {
      return voice.localService;
    });
    return local[0] || japanese[0] || null;
  }

  function whenVoices(callback) {
    // Chromium and Edge fill the voice list asynchronously; wait briefly for it.
    if (japaneseVoice()) return callback(japaneseVoice());
    var done = false;
    function finish() {
      if (done) return;
      done = true;
      synth.removeEventListener("voiceschanged", finish);
      callback(japaneseVoice());
    }
    synth.addEventListener("voiceschanged", finish);
    window.setTimeout(finish, 1500);
  }

  /* ---- Speaking ---- */

  function say(message) {
    // a fresh text node, so that screen readers announce a repeated message again
    statusLine.textContent = "";
    window.setTimeout(function () {
      statusLine.textContent = message;
    }, 50);
  }

  function rate() {
    return parseFloat(rateSelect.value) || 1;
  }

  function speak(voice) {
    var sentence = sentences[index];
    if (!sentence) {
      finish();
      return;
    }
    var mine = generation;
    utterance = new SpeechSynthesisUtterance(sentence.text);
    utterance.lang = "ja-JP";
    if (voice) utterance.voice = voice;
    utterance.rate = rate();
    utterance.onstart = function () {
      if (mine !== generation) return;
      highlight(sentence);
      progress.textContent = index + 1 + " / " + sentences.length;
    };
    utterance.onend = function () {
      if (mine !== generation || state !== "playing") return;
      index += 1;
      speak(voice);
    };
    utterance.onerror = function (event) {
      if (mine !== generation || event.error === "interrupted" || event.error === "canceled") return;
      generation += 1;
      setState("idle");
      clearHighlight();
      say("読み上げ中にエラーが発生したため、停止しました（" + (event.error || "不明なエラー") + "）。");
    };
    synth.speak(utterance);
  }

  function cancel() {
    generation += 1;
    synth.cancel();
  }

  function start(fromIndex) {
    whenVoices(function (voice) {
      if (!voice) {
        setState("idle");
        say(
          "このブラウザーには日本語の音声がないため、読み上げできません。" +
            "日本語の音声に対応したブラウザー（Microsoft Edge など）をお使いいただくか、" +
            "端末の設定で日本語の音声を追加してください。"
        );
        return;
      }
      cancel();
      index = fromIndex;
      setState("playing");
      // Chromium sometimes drops a speak() right after cancel(): let the cancel settle first.
      window.setTimeout(function () {
        if (state === "playing") speak(voice);
      }, 30);
    });
  }

  function play() {
    sentences = readableSentences();
    if (!sentences.length) {
      say("このページには読み上げる本文がありません。");
      return;
    }
    say("読み上げを開始します。");
    start(0);
  }

  function pause() {
    // cancel and restart the sentence on resume: speechSynthesis.pause() is unreliable
    // (Chromium on Android and online voices ignore it or drop the queue)
    cancel();
    setState("paused");
    say("一時停止しました。「再開」で続きから読み上げます。");
  }

  function resume() {
    say("再開します。");
    start(index);
  }

  function stop() {
    if (state === "idle") return;
    cancel();
    index = 0;
    setState("idle");
    clearHighlight();
    progress.textContent = "";
    say("読み上げを停止しました。");
  }

  function finish() {
    setState("idle");
    index = 0;
    clearHighlight();
    progress.textContent = "";
    say("最後まで読み上げました。");
  }

  function setState(next) {
    state = next;
    toggle.textContent = { idle: "読み上げる", playing: "一時停止", paused: "再開" }[next];
    toggle.setAttribute("data-state", next);
    stopButton.setAttribute("aria-disabled", next === "idle" ? "true" : "false");
    panel.setAttribute("data-state", next);
  }

  function onToggle() {
    if (!supported) {
      say(
        "お使いのブラウザーは音声読み上げ（Web Speech API）に対応していません。" +
          "Microsoft Edge、Google Chrome、Safari などの最新版でご利用ください。"
      );
      return;
    }
    if (state === "playing") pause();
    else if (state === "paused") resume();
    else play();
  }

  function onRate() {
    say("読み上げの速さを" + rateSelect.options[rateSelect.selectedIndex].text + "にしました。");
    if (state === "playing") start(index);
  }

  function openPanel(event) {
    if (event) event.preventDefault();
    panel.hidden = false;
    panel.scrollIntoView({ block: "nearest" });
    toggle.focus();
  }

  var PHONE = "(max-width: 575.98px)";

  function init() {
    panel = document.getElementById("saiyo-reader");
    if (!panel || panel.getAttribute("data-ready")) return;
    toggle = panel.querySelector(".saiyo-reader-toggle");
    stopButton = panel.querySelector(".saiyo-reader-stop");
    rateSelect = panel.querySelector(".saiyo-reader-rate");
    statusLine = panel.querySelector(".saiyo-reader-status");
    progress = panel.querySelector(".saiyo-reader-progress");
    panel.setAttribute("data-ready", "true");
    // On a phone the panel waits for the utility bar's 読み上げ link (it would push the page's
    // title off the first screen); wider screens show it at once.
    panel.hidden = !!(window.matchMedia && window.matchMedia(PHONE).matches);
    setState("idle");
    toggle.addEventListener("click", onToggle);
    stopButton.addEventListener("click", stop);
    rateSelect.addEventListener("change", onRate);
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest(".saiyo-utility-reader");
      if (link) openPanel(event);
    });
    if (location.hash === "#saiyo-reader") openPanel();
    if (!supported) {
      statusLine.textContent =
        "お使いのブラウザーは音声読み上げに対応していません。Microsoft Edge、Google Chrome、Safari などの最新版でご利用ください。";
    }
    window.addEventListener("pagehide", function () {
      if (supported && state !== "idle") cancel();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
