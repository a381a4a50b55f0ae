"""No user enumeration through password reset.

Plone's login-help form already answers the same whether an account exists or not. Two
other doors did not: the old ``mail_password`` view ("The username you entered could
not be found.") and the REST API ``POST @users/<name>/reset-password`` (404 for an
unknown name). Both are replaced for this site's browser layer: the answer is always the
same, the reason is only written to the log. The mail is sent at once (not when the
transaction commits), so a mail server that is down cannot turn "exists" into a 500.
"""

from plone.restapi.services.users.add import UsersPost
from Products.Five import BrowserView
from Products.statusmessages.interfaces import IStatusMessage

import logging


logger = logging.getLogger("kagoshima.saiyo.security")

SENT = "ご入力のアカウントが登録されていれば、パスワードを再設定する手順をメールでお送りしました。"


class MailPasswordView(BrowserView):
    def __call__(self):
        login = str(self.request.form.get("userid", ""))[:200]
        try:
            self.context.portal_registration.mailPassword(login, self.request, immediate=True)
        except ValueError as error:
            logger.info("password reset for %r not sent: %s", login, error)
        except Exception:  # e.g. the mail server is down: the operator reads the log
            logger.exception("password reset mail for %r failed", login)
        IStatusMessage(self.request).add(SENT, type="info")
        self.request.response.redirect(self.context.absolute_url() + "/@@login-help")
        return ""


class SafeUsersPost(UsersPost):
    def update_password(self, data):
        if self.params and not data:  # "send me a reset mail": same answer for everyone
            username = self.params[0]
            try:
                if self._get_user_by_login_name(username) is not None:
                    self.context.portal_registration.mailPassword(username, self.request, immediate=True)
                else:
                    logger.info("password reset for unknown login %r", username[:200])
            except ValueError as error:
                logger.info("password reset for %r not sent: %s", username[:200], error)
            except Exception:  # e.g. the mail server is down: the operator reads the log
                logger.exception("password reset mail for %r failed", username[:200])
            self.request.response.setStatus(204)
            return None
        if self._get_user_by_login_name(self.params[0]) is None:
            # Token or old password for an unknown name: the answer a wrong token gets.
            return self._error(403, "Unknown Token", "The reset_token is unknown/not valid.")
        return super().update_password(data)
