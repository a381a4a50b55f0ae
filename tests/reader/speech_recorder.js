/* A stand-in for window.speechSynthesis that records what the reader asks it to say.
   window.__speech.log: one {text, lang, rate, voice} per speak(); .events: speak/cancel/... in order.
   With __speech.hold the current utterance stays "speaking" until __speech.finish() ends it;
   otherwise each one ends by itself after a few milliseconds. __speech.voices is the voice list. */
(() => {
  const speech = (window.__speech = {
    log: [],
    events: [],
    hold: false,
    voices: [{ name: "Recorder Japanese", lang: "ja-JP", localService: true, default: true, voiceURI: "rec-ja" }],
    finish() {
      synth._end(synth.current);
    },
  });
  class RecordedUtterance {
    constructor(text) {
      Object.assign(this, { text, lang: "", rate: 1, pitch: 1, volume: 1, voice: null });
      Object.assign(this, { onstart: null, onend: null, onerror: null, onpause: null, onresume: null });
    }
  }
  const synth = {
    queue: [],
    current: null,
    get speaking() {
      return !!this.current;
    },
    get pending() {
      return this.queue.length > 0;
    },
    paused: false,
    getVoices() {
      return speech.voices;
    },
    speak(utterance) {
      speech.events.push("speak");
      speech.log.push({
        text: utterance.text,
        lang: utterance.lang,
        rate: utterance.rate,
        voice: utterance.voice && utterance.voice.name,
      });
      this.queue.push(utterance);
      if (!this.current) this._next();
    },
    _next() {
      const utterance = this.queue.shift();
      this.current = utterance || null;
      if (!utterance) return;
      setTimeout(() => {
        if (this.current !== utterance) return;
        utterance.onstart && utterance.onstart({ utterance });
        if (!speech.hold) setTimeout(() => this._end(utterance), 5);
      }, 0);
    },
    _end(utterance) {
      if (!utterance || this.current !== utterance) return;
      this.current = null;
      utterance.onend && utterance.onend({ utterance });
      if (!this.current) this._next();
    },
    cancel() {
      speech.events.push("cancel");
      const utterance = this.current;
      this.queue = [];
      this.current = null;
      if (utterance && utterance.onerror) utterance.onerror({ utterance, error: "interrupted" });
    },
    pause() {
      speech.events.push("pause");
      this.paused = true;
    },
    resume() {
      speech.events.push("resume");
      this.paused = false;
    },
    addEventListener() {},
    removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true, writable: true });
  window.SpeechSynthesisUtterance = RecordedUtterance;
})();
