"""The semantic layer: chiVe vectors from the installed ja-ginza, document and query vectors."""

from kagoshima.saiyo.search import semantic
from unittest import mock

import logging
import numpy
import subprocess
import sys
import threading
import unittest


def similarity(query, document):
    return float(semantic.similarities(semantic.query_vector(query), [semantic.document_vector(document)])[0])


class TestVectorsLoad(unittest.TestCase):
    def test_vectors_come_from_the_installed_package(self):
        self.assertTrue(semantic.available())
        table = semantic._get_table()
        self.assertEqual(table.matrix.shape, (20000, semantic.DIMENSIONS))
        self.assertGreater(len(table.keys), 400000)
        # chiVe's rows are ordered by frequency: の and 、 are the first two. A wrong
        # string hash would find neither, nor any other word.
        rows = table.lookup(["の", "、", "給与", "試験", "ぬぬぬぬぬぬ"]).tolist()
        self.assertEqual(rows[:2], [0, 1])
        self.assertGreater(rows[2], 1)
        self.assertGreater(rows[3], 1)
        self.assertEqual(rows[4], -1)

    def test_spacy_is_not_imported_to_load_the_vectors(self):
        # In a fresh interpreter: other tests of the same run may import spaCy themselves.
        code = (
            "import sys; from kagoshima.saiyo.search import semantic; "
            "assert semantic.available(); print('spacy' in sys.modules)"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "False")


class TestMeaning(unittest.TestCase):
    def test_related_words_are_closer_than_unrelated_ones(self):
        self.assertGreater(similarity("給与", "給料"), similarity("給与", "天気") + 0.3)
        self.assertGreater(similarity("転勤", "異動"), similarity("転勤", "ラーメン") + 0.3)
        self.assertGreater(similarity("子育て", "育児"), similarity("子育て", "土木") + 0.2)
        # Place names count: an island of the prefecture is close to 離島.
        self.assertGreater(
            similarity("奄美で働きたい", "離島での勤務"), similarity("奄美で働きたい", "給与の説明") + 0.2
        )

    def test_a_question_finds_the_page_that_answers_it(self):
        pages = [
            "初任給はいくらですか。大学卒業程度で採用された場合の初任給は、給料月額に地域手当を加えた額です。",
            "年次休暇はどのくらい取れますか。年次休暇は1年に20日で、使わなかった日数は翌年に繰り越せます。",
            "異動はどのくらいの頻度でありますか。おおむね3年から4年で人事異動があります。",
        ]
        vectors = [semantic.document_vector(page) for page in pages]
        for query, expected in (("給料はいくら", 0), ("休みは取れますか", 1), ("転勤はありますか", 2)):
            scores = semantic.similarities(semantic.query_vector(query), vectors)
            self.assertEqual(int(numpy.argmax(scores)), expected, query)
            self.assertGreaterEqual(float(scores.max()), semantic.MIN_SIMILARITY, query)

    def test_nonsense_queries_stay_under_the_threshold(self):
        pages = [
            "初任給はいくらですか。大学卒業程度で採用された場合の初任給は、給料月額に地域手当を加えた額です。",
            "面接ではどのようなことを聞かれますか。志望の動機や、これまでの経験について伺います。",
            "離島での勤務は必ずありますか。県の職員は、奄美や種子島などの離島にある機関に勤務することもあります。",
        ]
        vectors = [semantic.document_vector(page) for page in pages]
        for query in ("ラーメンの作り方", "カレーのレシピ", "宇宙旅行", "今日の天気"):
            scores = semantic.similarities(semantic.query_vector(query), vectors)
            self.assertLess(float(scores.max()), semantic.MIN_SIMILARITY, query)

    def test_the_title_counts_more_than_the_body(self):
        body = "県の職員として働く環境について紹介します。研修制度や休暇の制度があります。"
        query = semantic.query_vector("給与")
        plain, titled = semantic.similarities(
            query, [semantic.document_vector(body), semantic.document_vector(body, title="給与・手当")]
        )
        self.assertGreater(titled, plain + 0.1)


class TestVectorForm(unittest.TestCase):
    def test_document_vector_is_600_bytes_and_round_trips(self):
        text = "給与や手当、休暇の制度について説明します。"
        data = semantic.document_vector(text)
        self.assertIsInstance(data, bytes)
        self.assertEqual(len(data), semantic.VECTOR_BYTES)
        vector = semantic.vector_from_bytes(data)
        self.assertEqual(vector.dtype, numpy.float32)
        self.assertAlmostEqual(float(numpy.linalg.norm(vector)), 1.0, places=2)
        query = semantic.query_vector(text)
        self.assertAlmostEqual(float(numpy.linalg.norm(query)), 1.0, places=5)
        numpy.testing.assert_allclose(vector, query, atol=1e-3)
        self.assertAlmostEqual(float(semantic.similarities(query, [data])[0]), 1.0, places=2)

    def test_no_vector_without_known_content_words(self):
        for text in (
            "",
            "   ",
            "\n\t\u3000",
            "ああああ",
            "。、！？",
            "12345",
            "ぬぬぬぬぬぬ",
            "qxzqxzq",
            "ヴォヴォヴォヴォ",
            None,
        ):
            self.assertIsNone(semantic.document_vector(text), repr(text))
            self.assertIsNone(semantic.query_vector(text), repr(text))
        self.assertIsNone(semantic.document_vector("", title="  "))

    def test_long_text_beyond_sudachis_input_limit(self):
        paragraph = "職員は研修を受けながら、県民の暮らしを支える仕事に取り組みます。\n"
        text = paragraph * 3000  # about 100,000 characters, well over 49,149 bytes
        self.assertGreater(len(text.encode("utf-8")), 49149 * 4)
        data = semantic.document_vector(text)
        self.assertEqual(len(data), semantic.VECTOR_BYTES)
        self.assertGreater(float(semantic.similarities(semantic.query_vector(paragraph), [data])[0]), 0.99)


class TestSimilarities(unittest.TestCase):
    def test_missing_and_malformed_vectors_score_zero(self):
        query = semantic.query_vector("給与")
        good = semantic.document_vector("給料")
        scores = semantic.similarities(query, [good, None, b"", b"\x00" * 10, good])
        self.assertEqual(scores.shape, (5,))
        self.assertGreater(scores[0], 0.5)
        self.assertEqual(scores[1:4].tolist(), [0.0, 0.0, 0.0])
        self.assertAlmostEqual(float(scores[4]), float(scores[0]), places=5)
        self.assertEqual(semantic.similarities(query, []).shape, (0,))
        self.assertEqual(semantic.similarities(None, [good, good]).tolist(), [0.0, 0.0])

    def test_cached_matrix_gives_the_same_scores(self):
        vectors = [semantic.document_vector(word) for word in ("給料", "天気", "異動", "休暇")]
        query = semantic.query_vector("給与")
        plain = semantic.similarities(query, vectors)
        key = ("test", id(self))
        numpy.testing.assert_allclose(semantic.similarities(query, vectors, cache_key=key), plain)
        numpy.testing.assert_allclose(semantic.similarities(query, vectors, cache_key=key), plain)
        # A list of another length under the same key is stacked again, never misread.
        self.assertEqual(semantic.similarities(query, vectors[:2], cache_key=key).shape, (2,))


class TestLoading(unittest.TestCase):
    def setUp(self):
        semantic.available()
        self.loaded = semantic._table
        self.addCleanup(setattr, semantic, "_table", self.loaded)

    def test_two_threads_at_once_load_one_copy(self):
        real_load = semantic._load
        calls = []
        start = threading.Barrier(2)

        def counting_load():
            calls.append(threading.get_ident())
            return real_load()

        def worker(results):
            start.wait()
            results.append(semantic._get_table())

        semantic._table = None
        results = []
        with mock.patch.object(semantic, "_load", counting_load):
            threads = [threading.Thread(target=worker, args=(results,)) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        self.assertEqual(len(calls), 1)
        self.assertEqual(len(results), 2)
        self.assertIs(results[0], results[1])
        self.assertIsNotNone(results[0])

    def test_missing_package_disables_with_one_warning(self):
        semantic._table = None
        with mock.patch.object(semantic, "_vocab_dir", return_value=None):
            with self.assertLogs(semantic.logger, level=logging.WARNING) as logs:
                self.assertFalse(semantic.available())
                self.assertFalse(semantic.available())
                self.assertIsNone(semantic.document_vector("給与と手当"))
                self.assertIsNone(semantic.query_vector("給料はいくら"))
                self.assertEqual(semantic.similarities(None, [None]).tolist(), [0.0])
        self.assertEqual(len(logs.records), 1)
        self.assertIn("lexical", logs.records[0].getMessage())


class TestConcurrentUse(unittest.TestCase):
    def test_threads_embedding_at_once_get_the_serial_results(self):
        texts = [
            "初任給はいくらですか。給料月額に地域手当を加えた額です。",
            "年次休暇は1年に20日で、使わなかった日数は翌年に繰り越せます。",
            "奄美や種子島などの離島にある機関に勤務することもあります。",
            "大学卒業程度の試験では、教養試験と専門試験を行います。",
        ] * 5
        semantic._get_table().row_cache.clear()
        results = {}
        start = threading.Barrier(4)

        def worker(number):
            start.wait()
            results[number] = [semantic.document_vector(text) for text in texts]

        threads = [threading.Thread(target=worker, args=(number,)) for number in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        serial = [semantic.document_vector(text) for text in texts]
        self.assertEqual(sorted(results), [0, 1, 2, 3])
        for vectors in results.values():
            self.assertEqual(vectors, serial)
