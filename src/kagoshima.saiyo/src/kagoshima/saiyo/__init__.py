"""kagoshima.saiyo: the Kagoshima Prefecture staff-recruitment website add-on."""

from zope.i18nmessageid import MessageFactory


_ = MessageFactory("kagoshima.saiyo")
