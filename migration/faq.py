"""FAQ pages: one FAQ item per question (a heading, or a paragraph starting with Q, and what follows)."""

from bs4 import Tag
from migration.extract import clean_text

import re
import unicodedata


_QUESTION = re.compile(r"^\s*(?:Q\s*\d*\s*[.．:：、]?|問\s*\d*[.．:：]?)\s*")
_ANSWER = re.compile(r"^\s*A\s*[.．:：、]?\s*")


def _is_question(element) -> bool:
    if element.name not in ("h2", "h3", "h4", "h5", "dt", "p"):
        return False
    text = unicodedata.normalize("NFKC", clean_text(element.get_text(" ")))
    if element.name == "p":
        return bool(re.match(r"^Q\s*\d*\s*[.:、]", text))
    return bool(_QUESTION.match(text)) or text.endswith(("か。", "か?", "?"))


def looks_like_faq(main) -> bool:
    return sum(1 for element in main.find_all(["h2", "h3", "h4", "dt", "p"]) if _is_question(element)) >= 2


def split_questions(main) -> list[tuple[str, str]]:
    """[(question, answer HTML)] in page order; the answer is everything up to the next question."""
    items = []
    questions = [
        element for element in main.find_all(["h2", "h3", "h4", "h5", "dt", "p"]) if _is_question(element)
    ]
    for index, question in enumerate(questions):
        following = questions[index + 1] if index + 1 < len(questions) else None
        parts = []
        for sibling in question.next_siblings:
            if sibling is following:
                break
            if (
                isinstance(sibling, Tag)
                and following is not None
                and any(d is following for d in sibling.descendants)
            ):
                break
            if getattr(sibling, "name", None) in ("h1", "h2") and sibling.name != question.name:
                break
            parts.append(str(sibling))
        title = _QUESTION.sub("", unicodedata.normalize("NFKC", clean_text(question.get_text(" "))))
        answer = "".join(parts).strip()
        answer = re.sub(r"(<p[^>]*>)\s*[AＡ]\s*[.．:：、]\s*", r"\1", answer)
        items.append((title.strip(), answer))
    return items
