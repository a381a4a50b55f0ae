/* The Mosaic editor in the site's language: the strings plone.app.mosaic's script writes itself.
 *
 * plone.app.mosaic 4.2 has no translation in its script: the tile buttons (Edit, Delete, …), the
 * layout chooser and its dialogs, the row and width controls and its alert() and confirm()
 * messages are English string literals. Its toolbar and menu labels are registry data (translated
 * in profiles/default/registry/mosaic_i18n.xml). This script takes the gettext catalog of the
 * domain "plone.app.mosaic" from Plone's @@plonejsi18n view, as mockup's own patterns take
 * theirs (locales/<language>/LC_MESSAGES/plone.app.mosaic.po of kagoshima.saiyo), and translates
 * text and the title, label, aria-label and placeholder attributes of the editor's own elements
 * as Mosaic creates them. It never touches a tile's content or a form's fields, so nothing a
 * person wrote is changed. A message id may hold ${name} placeholders for the parts Mosaic fills in
 * ("Reset (${columns})").
 *
 * It does nothing on pages without the Mosaic editor, nor when the catalog has no messages (a
 * language without translations): then Mosaic stays as it is.
 */
(function () {
    "use strict";

    // The editor's own parts. Tile contents (.mosaic-tile-content) and form fields are left alone.
    const SCOPES = [
        ".mosaic-toolbar",
        ".mosaic-tile-control",
        ".mosaic-tile-side-tools",
        ".mosaic-tile-buttons",
        ".mosaic-tile-label",
        ".mosaic-divider",
        ".mosaic-select-layout",
        ".mosaic-save-layout",
        ".mosaic-manage-custom-layouts",
        ".mosaic-delete-layout",
        ".select2-drop.mosaic-menu-insert",
        ".select2-drop.mosaic-menu-format",
        ".mosaic-set-custom-css",
    ].join(", ");
    // Mosaic's dialogs (layout chooser, save, delete, manage): their title and buttons lie outside
    // the template's own element, so the whole dialog is translated when it holds one.
    const DIALOG_PARTS = ".mosaic-select-layout, .mosaic-save-layout, .mosaic-manage-custom-layouts, .mosaic-delete-layout";
    const SKIP = ".mosaic-tile-content, textarea, [contenteditable='true'], script, style";
    const ATTRIBUTES = ["title", "label", "aria-label", "placeholder"];

    const exact = new Map();
    const patterns = [];

    function normalise(text) {
        return text.replace(/\s+/g, " ").trim();
    }

    function escapeRegExp(text) {
        return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }

    function load(catalog) {
        for (const [msgid, msgstr] of Object.entries(catalog)) {
            if (!msgid || !msgstr) {
                continue; // the catalog header, or an untranslated message
            }
            const key = normalise(msgid);
            const names = [];
            const source = key.split(/(\$\{\w+\})/).map((part) => {
                const name = /^\$\{(\w+)\}$/.exec(part);
                if (!name) {
                    return escapeRegExp(part);
                }
                names.push(name[1]);
                return "(.*?)";
            });
            if (names.length === 0) {
                exact.set(key, msgstr);
            } else {
                patterns.push({ regexp: new RegExp(`^${source.join("")}$`), names, msgstr });
            }
        }
    }

    /** The translation of a string Mosaic wrote, or null when the catalog has none. */
    function translate(text) {
        const key = normalise(text);
        if (!key) {
            return null;
        }
        if (exact.has(key)) {
            return exact.get(key);
        }
        for (const { regexp, names, msgstr } of patterns) {
            const match = regexp.exec(key);
            if (match) {
                return names.reduce(
                    (result, name, index) => result.split(`\${${name}}`).join(match[index + 1]),
                    msgstr,
                );
            }
        }
        return null;
    }

    function translateElement(element) {
        if (element.closest(SKIP)) {
            return;
        }
        for (const name of ATTRIBUTES) {
            const value = element.getAttribute(name);
            const translated = value && translate(value);
            if (translated) {
                element.setAttribute(name, translated);
            }
        }
        for (const node of element.childNodes) {
            if (node.nodeType === Node.TEXT_NODE) {
                const translated = translate(node.nodeValue);
                if (translated) {
                    // keep the spaces around the text: they separate it from its neighbours
                    const space = /^(\s*)[\s\S]*?(\s*)$/.exec(node.nodeValue);
                    node.nodeValue = space[1] + translated + space[2];
                }
            }
        }
    }

    function translateTree(root) {
        translateElement(root);
        for (const element of root.querySelectorAll("*")) {
            translateElement(element);
        }
    }

    function translateEditor() {
        for (const scope of document.querySelectorAll(SCOPES)) {
            translateTree(scope);
        }
        for (const part of document.querySelectorAll(DIALOG_PARTS)) {
            translateTree(part.closest(".modal, .plone-modal-wrapper") || part);
        }
    }

    let scheduled = false;
    function schedule() {
        if (!scheduled) {
            scheduled = true;
            window.requestAnimationFrame(() => {
                scheduled = false;
                translateEditor();
            });
        }
    }

    // Mosaic's alert() and confirm() messages.
    function wrapDialogs() {
        for (const name of ["alert", "confirm"]) {
            const original = window[name];
            window[name] = function (message) {
                const translated = typeof message === "string" ? translate(message) : null;
                return original.call(window, translated || message);
            };
        }
    }

    async function start() {
        // The Mosaic editor's field (plone.app.blocks' layout widget) is on the page.
        if (!document.querySelector(".pat-layout")) {
            return;
        }
        const language = (document.documentElement.getAttribute("lang") || "").split("-")[0];
        const base =
            document.body.dataset.i18ncatalogurl ||
            `${document.body.dataset.portalUrl || window.location.origin}/plonejsi18n`;
        if (!language || language === "en") {
            return;
        }
        let catalog;
        try {
            const url = `${base}?domain=plone.app.mosaic&language=${encodeURIComponent(language)}`;
            const response = await fetch(url, { credentials: "same-origin" });
            catalog = response.ok ? await response.json() : null;
        } catch {
            catalog = null; // the editor still works, in English
        }
        if (!catalog) {
            return;
        }
        load(catalog);
        if (exact.size === 0 && patterns.length === 0) {
            return;
        }
        wrapDialogs();
        translateEditor();
        new MutationObserver(schedule).observe(document.body, {
            childList: true,
            subtree: true,
            characterData: true,
            attributes: true,
            attributeFilter: ATTRIBUTES,
        });
        document.body.classList.add("saiyo-mosaic-i18n");
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
