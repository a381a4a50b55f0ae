"""Uploads scanned by a real ClamAV ``clamscan`` (Debian package clamav) with the EICAR test file.

ClamAV's signature database cannot be downloaded on this machine, so the test writes its own
one-line body signature (``.ndb``) for the EICAR test string and points ``clamscan -d`` at it:
the real scanner, a signature made offline. Uploads go through plone.restapi over HTTP, as
the edit host's clients send them; an infected file is refused with the Japanese message,
logged in English, and nothing is stored.
"""

from kagoshima.saiyo.security import scanner
from kagoshima.saiyo.testing import KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from unittest import mock

import base64
import os
import requests
import shutil
import tempfile
import transaction
import unittest


# The EICAR anti-virus test file (not a virus; every scanner reports it as one).
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
PDF_HEAD = b"%PDF-1.4\n% a test document\n"


class TestVirusScan(unittest.TestCase):
    layer = KAGOSHIMA_SAIYO_FUNCTIONAL_TESTING

    def setUp(self):
        self.clamscan = shutil.which("clamscan")
        if self.clamscan is None:
            raise AssertionError("clamscan is missing: apt-get install clamav (.ci/run installs it)")
        self.folder = tempfile.mkdtemp(prefix="saiyo-clam-")
        self.addCleanup(shutil.rmtree, self.folder, True)
        self.database = os.path.join(self.folder, "saiyo-eicar.ndb")
        with open(self.database, "w") as signatures:
            signatures.write(f"Saiyo.Test.EICAR:0:*:{EICAR.hex()}\n")
        self.portal = self.layer["portal"]
        self.url = self.portal.absolute_url()
        transaction.commit()
        self.scanning = {scanner.COMMAND: f"{self.clamscan} --no-summary -d {self.database} -"}

    def upload(self, name: str, data: bytes):
        body = {
            "@type": "File",
            "id": name.replace(".", "-"),
            "title": name,
            "file": {
                "data": base64.b64encode(data).decode(),
                "encoding": "base64",
                "filename": name,
                "content-type": "application/pdf",
            },
        }
        return requests.post(
            self.url,
            json=body,
            auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD),
            headers={"Accept": "application/json"},
            timeout=120,
        )

    def stored(self, name: str) -> bool:
        self.portal._p_jar.sync()
        return name.replace(".", "-") in self.portal.objectIds()

    def test_infected_upload_is_refused_and_not_stored(self):
        with (
            mock.patch.dict(os.environ, self.scanning),
            self.assertLogs("kagoshima.saiyo.security", "WARNING") as logs,
        ):
            reply = self.upload("annai.pdf", PDF_HEAD + EICAR + b"\n%%EOF\n")
        self.assertEqual(reply.status_code, 400, reply.text)
        self.assertIn(
            "「annai.pdf」からコンピューターウイルスが見つかったため、アップロードできません",
            reply.json()["message"],
        )
        self.assertFalse(self.stored("annai.pdf"))
        self.assertIn("upload 'annai.pdf' is infected, refused and not stored", logs.output[0])
        self.assertIn("stdin: Saiyo.Test.EICAR.UNOFFICIAL FOUND", logs.output[0])  # the scanner's own verdict

    def test_clean_upload_is_stored_once_scanned(self):
        with (
            mock.patch.dict(os.environ, self.scanning),
            self.assertLogs("kagoshima.saiyo.security", "INFO") as logs,
        ):
            reply = self.upload("meibo.pdf", PDF_HEAD + b"1 0 obj << >> endobj\n%%EOF\n")
        self.assertEqual(reply.status_code, 201, reply.text)
        self.assertTrue(self.stored("meibo.pdf"))
        self.assertTrue(getattr(self.portal["meibo-pdf"].file, scanner.MARK))
        self.assertIn("virus scan of upload 'meibo.pdf': clean", "\n".join(logs.output))

    def test_a_scanner_that_fails_refuses_the_upload(self):
        broken = {scanner.COMMAND: f"{self.clamscan} --no-summary -d {self.folder}/missing.ndb -"}
        with (
            mock.patch.dict(os.environ, broken),
            self.assertLogs("kagoshima.saiyo.security", "ERROR") as logs,
        ):
            reply = self.upload("kekka.pdf", PDF_HEAD + b"%%EOF\n")
        self.assertEqual(reply.status_code, 400, reply.text)
        self.assertIn("「kekka.pdf」のウイルス検査ができなかったため", reply.json()["message"])
        self.assertFalse(self.stored("kekka.pdf"))
        self.assertIn("failed (exit 2), upload refused", logs.output[0])

    def test_off_unless_the_server_sets_a_command(self):
        with mock.patch.dict(os.environ, {scanner.COMMAND: ""}):
            self.assertIsNone(scanner.command())
            reply = self.upload("shiryo.pdf", PDF_HEAD + EICAR)
        self.assertEqual(reply.status_code, 201, reply.text)
