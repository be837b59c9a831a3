"""`N_` marks a message for extraction (Babel's keyword) without translating it: the text is an
English msgid that the page translates in the reader's language."""


def N_(message: str) -> str:
    return message
