"""Structured extraction of an exam summary (試験概要) into ExamNotice fields.

Dates that name a day become real dates (aware Asia/Tokyo for the application period);
values that do not (「11月下旬」) are kept verbatim in the free-text fields with a warning.
"""

from dataclasses import dataclass
from dataclasses import field
from kagoshima.saiyo.dates import wareki
from migration import dates
from migration.extract import clean_text
from migration.extract import norm

import html
import re
import unicodedata


SECTION_WORDS = {"区分": "divisions", "受験資格": "divisions", "日程": "schedule", "内容": "contents"}


@dataclass
class ExamResult:
    fields: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    plain_reason: str = ""  # set when the page cannot be an ExamNotice
    unrecognised_labels: list[str] = field(default_factory=list)  # row labels no field was found for


def looks_like_exam(main) -> bool:
    labels = {norm(cell.get_text()) for cell in main.find_all("th")}
    for row in main.find_all("tr"):  # label cells written as <td> too
        first = row.find(["th", "td"])
        if first is not None:
            labels.add(norm(first.get_text()))
    text = "".join(labels)
    schedule = {schedule_field(schedule_key(label)) for label in labels}
    return "試験区分" in text and bool(schedule & {"application", "first_exam"})


def cell_text(cell) -> str:
    """The text of a value cell up to any heading or table nested in it (unclosed markup)."""
    if cell is None:
        return ""
    parts = []
    for node in cell.descendants:
        if getattr(node, "name", None) in ("h1", "h2", "h3", "h4", "h5", "table", "tr"):
            break
        if isinstance(node, str):
            parts.append(node)
    return clean_text(" ".join(parts))


def _rows(main):
    """(section, sub-heading, label, value cell) for every two-cell table row, in page order."""
    section, sub = "", ""
    for element in main.find_all(["h2", "h3", "h4", "h5", "tr"]):
        if element.name in ("h2", "h3"):
            section, sub = norm(element.get_text()), ""
            continue
        if element.name in ("h4", "h5"):
            sub = clean_text(element.get_text(" "))
            continue
        cells = element.find_all(["th", "td"], recursive=False)
        if len(cells) >= 2:
            yield section, sub, clean_text(cells[0].get_text(" ")), cells[1]
        elif len(cells) == 1 and cells[0].name == "th":
            yield section, sub, clean_text(cells[0].get_text(" ")), None


def split_top(text: str, separators: str = ",、，") -> list[str]:
    """Split at separators outside brackets: 「行政(15),UIターン枠(農業(3)・畜産(2))」 → 2 parts."""
    parts, depth, current = [], 0, ""
    for char in text:
        if char in "(（":
            depth += 1
        elif char in ")）":
            depth -= 1
        if char in separators and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def _job_type(name: str, job_types: dict) -> str | None:
    for label, token in job_types.items():
        if name.startswith(label):
            return token
    return None


def parse_divisions(text: str, job_types: dict) -> tuple[list[dict], list[str]]:
    """試験区分 text → rows {name, headcount, job_type, note}, nested 枠 flattened."""
    rows, warnings = [], []
    value = unicodedata.normalize("NFKC", text)
    for part in split_top(value):
        match = re.fullmatch(r"(?P<name>[^()]+)\((?P<inner>.*)\)", part)
        if not match:
            rows.append({"name": part, "headcount": None, "job_type": _job_type(part, job_types), "note": ""})
            warnings.append(f"試験区分「{part}」の採用予定人数が書かれていません")
            continue
        name, inner = match.group("name").strip(), match.group("inner").strip()
        if re.fullmatch(r"\d+", inner):
            rows.append(
                {"name": name, "headcount": int(inner), "job_type": _job_type(name, job_types), "note": ""}
            )
        elif "(" in inner:
            for sub in split_top(inner, "・,、"):
                sub_match = re.fullmatch(r"(?P<name>[^()]+)\((?P<count>[^()]+)\)", sub)
                sub_name = sub_match.group("name").strip() if sub_match else sub
                count = sub_match.group("count").strip() if sub_match else ""
                row = {"name": f"{name}({sub_name})", "job_type": _job_type(sub_name, job_types), "note": ""}
                row["headcount"] = int(count) if count.isdigit() else None
                if not count.isdigit():
                    row["note"] = count
                    warnings.append(
                        f"試験区分「{row['name']}」の人数「{count}」は数ではないため備考に残しました"
                    )
                rows.append(row)
        else:
            rows.append(
                {"name": name, "headcount": None, "job_type": _job_type(name, job_types), "note": inner}
            )
            warnings.append(f"試験区分「{name}」の人数「{inner}」は数ではないため備考に残しました")
    return rows, warnings


def _venues(places: list[str], venues: dict, label: str, result: ExamResult, notes: list[str]) -> list[str]:
    tokens = []
    for place in places:
        token = venues.get(place)
        if token:
            if token not in tokens:
                tokens.append(token)
        else:
            result.warnings.append(f"{label}: 試験地「{place}」は選択肢にないため、日程の補足に残しました")
            notes.append(f"{label}の試験地: {place}")
    return tokens


def _stage_row(stage: str, label: str, cell) -> dict:
    label = unicodedata.normalize("NFKC", label)
    match = re.fullmatch(r"(?P<subject>.+?)\s*\((?P<duration>[^()]*(?:時間|分)[^()]*)\)", label)
    subject, duration = (match.group("subject"), match.group("duration")) if match else (label, "")
    detail = cell_text(cell)
    return {
        "stage": stage or "試験",
        "subject": subject.strip(),
        "duration": duration.strip(),
        "detail": detail,
    }


def schedule_key(label: str) -> str:
    """A label as the rows are matched: NFKC, no spaces, 第一次 → 第1次, 第 added to 1次."""
    key = norm(label)
    key = re.sub(
        r"第?([一二三1-3])次",
        lambda m: (
            "第" + "123"["一二三".find(m.group(1))] + "次"
            if m.group(1) in "一二三"
            else "第" + m.group(1) + "次"
        ),
        key,
    )
    return key


# The schedule rows an old page may carry, recognised by the words of their label rather than by
# one exact string: the same date was written 「試験案内配布開始日」, 「試験案内 受験申込書配布開始日」,
# 「受験案内の配布」 … over the years. Checked in order, on the label as schedule_key() leaves it
# (NFKC, no spaces, 「一次」 → 「第1次」); the first entry whose words all occur, and none of whose
# excluded words does, names the field.
SCHEDULE_FIELDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("guide_release", ("配布",), ()),  # before the application: 「受験申込書配布開始日」
    ("guide_release", ("案内", "公開"), ()),
    ("guide_release", ("案内", "掲載"), ()),
    ("first_result", ("第1次", "発表"), ()),
    ("final_result", ("最終", "発表"), ()),
    ("final_result", ("最終", "合格"), ()),
    ("final_result", ("合格発表",), ("第",)),  # a single-stage exam's 合格発表
    ("first_exam", ("第1次",), ()),
    ("second_exam", ("第2次",), ("発表",)),
    ("application", ("申込",), ("発表", "試験日")),
    ("application", ("受付",), ("発表", "試験日")),
    ("first_exam", ("試験日",), ("第",)),  # a single-stage exam's 試験日
    ("first_exam", ("試験期日",), ("第",)),
)


def schedule_field(key: str) -> str | None:
    """The schedule field a row label (already passed through schedule_key) stands for, or None."""
    for name, words, excluded in SCHEDULE_FIELDS:
        if all(word in key for word in words) and not any(word in key for word in excluded):
            return name
    return None


def _date_value(parsed) -> str:
    return parsed.start.date().isoformat()


def _datetime_value(moment) -> str:
    return moment.isoformat()


def extract_exam(page_title: str, url_path: str, main, rules: dict) -> ExamResult:
    result = ExamResult()
    fields = result.fields
    fiscal_year = dates.fiscal_year_of_text(page_title) or dates.fiscal_year_of_url(url_path)
    exam_type = next((item["token"] for item in rules["exam_types"] if item["match"] in page_title), None)
    if fiscal_year is None:
        result.plain_reason = "試験概要の形ですが、題名にも URL にも年度がありません"
        return result
    if exam_type is None:
        result.plain_reason = "試験概要の形ですが、試験種別（大学卒業程度など）が題名から分かりません"
        return result
    fields["fiscal_year"] = fiscal_year
    fields["exam_type"] = exam_type
    fields["audiences"] = list(rules.get("audiences", {}).get(exam_type, []))
    title = re.sub(r"^\s*(令和|平成)\s*(元|[0-9０-９]{1,2})\s*年度\s*[:：]?\s*", "", page_title)
    title = re.sub(r"[(（]概要[)）]\s*$", "", title).strip()
    fields["title"] = f"{wareki.fiscal_year_label(fiscal_year, western=False)} {title}"
    schedule_notes: list[str] = []
    contents: list[dict] = []
    eligibility_parts: list[str] = []
    venues = rules.get("venues", {})

    def year_for(text_month: int | None) -> int:
        return fiscal_year if (text_month or 4) >= 4 else fiscal_year + 1

    for section, sub, label, cell in _rows(main):
        key = schedule_key(label)
        value_text = cell_text(cell)
        if "内容" in section:
            contents.append(_stage_row(sub, label, cell))
            continue
        if key.startswith("試験区分"):
            rows, warnings = parse_divisions(value_text, rules.get("job_types", {}))
            fields["divisions"] = rows
            result.warnings.extend(warnings)
            continue
        if key.startswith("受験資格"):
            eligibility_parts.append(f"<p>{html.escape(value_text)}</p>")
            continue
        if "日程" not in section and not any(word in key for word in ("日", "期間", "時期")):
            schedule_notes.append(f"{label}: {value_text}")
            result.unrecognised_labels.append(label)
            result.warnings.append(f"「{label}」は対応する項目がないため、日程の補足に残しました")
            continue
        month = re.search(r"(\d{1,2})\s*月", unicodedata.normalize("NFKC", value_text))
        parsed = dates.parse(value_text, default_year=year_for(int(month.group(1)) if month else None))
        for warning in parsed.warnings:
            result.warnings.append(f"{label}: {warning}")
        verbatim = not parsed.is_date or parsed.tentative or parsed.notes
        target = schedule_field(key)
        if target == "guide_release":
            if parsed.is_date:
                fields["guide_release_date"] = _date_value(parsed)
        elif target == "application":
            if parsed.is_date:
                fields["application_start"] = _datetime_value(parsed.start)
                fields["application_end"] = _datetime_value(
                    parsed.end or parsed.start.replace(hour=23, minute=59, second=59)
                )
        elif target == "first_exam":
            if parsed.is_date:
                fields["first_exam_date"] = _date_value(parsed)
                if parsed.end is not None:
                    verbatim = True
            fields["first_exam_venues"] = _venues(parsed.places, venues, label, result, schedule_notes)
        elif target == "first_result":
            if parsed.is_date:
                fields["first_result_date"] = _date_value(parsed)
        elif target == "second_exam":
            if parsed.is_date:
                fields["second_exam_start"] = _date_value(parsed)
                fields["second_exam_end"] = (parsed.end or parsed.start).date().isoformat()
            fields["second_exam_venues"] = _venues(parsed.places, venues, label, result, schedule_notes)
        elif target == "final_result":
            if parsed.is_date:
                fields["final_result_date"] = _date_value(parsed)
            fields["final_result_note"] = parsed.text if not parsed.is_date or parsed.tentative else ""
        else:
            verbatim = True
            result.unrecognised_labels.append(label)
            result.warnings.append(
                f"「{label}」は対応する日程項目がないため、日程の補足に原文のまま残しました"
            )
        if verbatim:
            schedule_notes.append(f"{label}: {parsed.text}")
    # numbered notes (注1 …) after the first table belong to the eligibility
    for paragraph in main.find_all("p"):
        text = clean_text(paragraph.get_text(" "))
        if re.match(r"^注\s*[0-9０-９]", text):
            eligibility_parts.append(f"<p>{html.escape(text)}</p>")
    if eligibility_parts:
        fields["eligibility"] = "\n".join(eligibility_parts)
    fields["schedule_note"] = "\n".join(schedule_notes)
    fields["exam_contents"] = contents
    if "divisions" not in fields:
        result.warnings.append("試験区分が見つかりません")
    if "application_start" not in fields:
        result.warnings.append("申込受付期間が日付として読み取れません")
    for link in main.find_all("a"):
        if "音声読み上げ" in link.get_text() and link.get("href", "").startswith("http"):
            fields["audio_version_url"] = link["href"]
    return result
