"""kagoshima.saiyo: the Kagoshima Prefecture staff-recruitment website add-on."""

from kagoshima.saiyo.templating import serialise_compilation
from zope.i18nmessageid import MessageFactory


_ = MessageFactory("kagoshima.saiyo")

serialise_compilation()
