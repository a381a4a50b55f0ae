"""差し戻し (reject) needs a reason: the author reads it in the mail and in the history.

DCWorkflow has no "required comment", so a subscriber of the before-transition event refuses
the transition. Every way in ends here: the Classic UI (content_status_modify, the 詳細
workflow form, this add-on's 差し戻し form), the REST API ``@workflow/reject`` and Python.
"""

from kagoshima.saiyo.workflows import WORKFLOW_ID
from Products.CMFCore.WorkflowCore import WorkflowException

import logging


logger = logging.getLogger("kagoshima.saiyo.workflows")

# Transitions that are refused without a comment.
COMMENT_REQUIRED = {"reject"}

MESSAGE = "差し戻しの理由（コメント）を入力してください。理由は作成者にメールで届きます。"


class CommentRequired(WorkflowException):
    """A transition of COMMENT_REQUIRED was asked for without a comment.

    A WorkflowException, so the REST API answers 400 with the Japanese message.
    """

    def __init__(self, message=MESSAGE, obj=None, transition=None):
        # The workflow tool raises exceptions again as ``type(error)(error)``: keep what we knew.
        if isinstance(message, CommentRequired):
            obj, transition, message = message.obj, message.transition, str(message)
        super().__init__(message)
        self.obj = obj
        self.transition = transition

    def __str__(self):
        return str(self.args[0]) if self.args else MESSAGE


def require_comment(obj, event):
    """IBeforeTransitionEvent subscriber."""
    transition = event.transition
    if transition is None or event.workflow.getId() != WORKFLOW_ID:
        return
    if transition.getId() not in COMMENT_REQUIRED:
        return
    comment = (event.kwargs or {}).get("comment") or ""
    if not str(comment).strip():
        logger.info("refused %s of %s: no comment", transition.getId(), "/".join(obj.getPhysicalPath()))
        raise CommentRequired(obj=obj, transition=transition.getId())
