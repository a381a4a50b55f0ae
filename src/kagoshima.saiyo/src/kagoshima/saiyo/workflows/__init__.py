"""Authors, administrators and the approval workflow (saiyo_workflow).

Who may do what is decided by Plone's PAS roles, groups, local roles and DCWorkflow
permissions, never by hiding buttons:

- **作成者 (group ``authors``)** gives no role: its members have the global ``Member`` role
  only. An author writes where a section has been shared with one of their groups — an
  administrator opens 共有 (``@@sharing``, or the REST API ``@sharing``) on the section and gives
  a department group, e.g. ``authors-jinji`` on ``/shiken``, the local role ``Contributor``
  (追加可). Whatever an author creates they own (``Owner``), and ``Owner`` is what lets them
  edit, delete and submit their own drafts. Colleagues with the same ``Contributor`` role do
  not see each other's drafts. Giving a group ``Editor`` (編集可) or ``Reader`` (閲覧可)
  as well lets it edit or read the drafts of the section too.
  As everywhere in Plone, local roles are inherited: whoever owns a folder is ``Owner`` of
  what is inside it too.
- **管理者 (group ``administrators``)** has ``Site Administrator`` and ``Reviewer``: it sees,
  edits, publishes, sends back, retracts, expires and deletes everything, and manages users,
  groups and sharing.
- **saiyo_workflow**: 下書き (private) → 承認待ち (pending) → 公開 (published) → 公開終了
  (expired). Published content is changed through a plone.app.iterate working copy: the
  author checks out (修正用の作業コピーを作る), edits and submits the copy, and an administrator
  approves it by checking it in, so the live page never shows half-done work. 差し戻し needs a
  comment (``comments.py``); submit, publish, send-back and check-in send mail
  (``notifications.py``).
"""

WORKFLOW_ID = "saiyo_workflow"

AUTHORS = "authors"
ADMINISTRATORS = "administrators"

# Group id -> title, description and the global roles the group gives its members.
GROUPS = {
    AUTHORS: {
        "title": "作成者",
        "description": (
            "ページを作成・更新し、管理者に承認を依頼する職員です。書き込めるのは、管理者が「共有」で"
            "担当の所属グループに「追加可」を与えたフォルダーの中だけです。公開・削除・ユーザー管理・"
            "サイト設定はできません。"
        ),
        "roles": [],
    },
    ADMINISTRATORS: {
        "title": "管理者",
        "description": (
            "すべてのページを閲覧・編集・公開・差し戻し・公開取り下げ・削除でき、ユーザーとグループ、"
            "フォルダーの共有（担当グループの割り当て）を管理する職員です。"
        ),
        "roles": ["Site Administrator", "Reviewer"],
    },
}
