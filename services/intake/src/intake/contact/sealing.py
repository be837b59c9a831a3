"""Where a call's free text (the note, the agency name) is sealed. A call linked to a caller profile:
under that caller's own key, so that retention deleting the key makes every copy unreadable, backups
included. An anonymous call: under the service keyring. Each row says whose key sealed it."""

from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.crypto import FieldCipher
from intake.contact.models import ContactAgency, ContactNote
from intake.identity.keys import caller_key, open_sealed, seal


def note_context(contact_id: str) -> str:
    return f"vault_contact_notes.ciphertext:{contact_id}"


def agency_context(contact_id: str) -> str:
    return f"vault_contact_agencies.ciphertext:{contact_id}"


FREE_TEXT = ((ContactNote, note_context), (ContactAgency, agency_context))


async def put(
    session: AsyncSession, cipher: FieldCipher, model, contact_id: str, text: str, caller_id: str | None
) -> None:
    context = note_context(contact_id) if model is ContactNote else agency_context(contact_id)
    row = await session.get(model, contact_id)
    if not text:
        if row is not None:
            await session.delete(row)
        return
    key = await caller_key(session, cipher, caller_id) if caller_id else None
    if key is not None:
        ciphertext, sealed_by = seal(key, text, context=context), caller_id
    else:  # anonymous (or a caller whose identity is already destroyed): the service keyring
        ciphertext, sealed_by = cipher.encrypt(text, context=context), None
    if row is None:
        session.add(model(contact_id=contact_id, ciphertext=ciphertext, sealed_by=sealed_by))
    else:
        row.ciphertext, row.sealed_by = ciphertext, sealed_by


async def open_row(session: AsyncSession, cipher: FieldCipher, row, context: str) -> str:
    """The plaintext of one note or agency row; "" when there is none or its caller key is destroyed."""
    if row is None:
        return ""
    if row.sealed_by is None:
        return cipher.decrypt(row.ciphertext, context=context)
    key = await caller_key(session, cipher, row.sealed_by)
    return open_sealed(key, row.ciphertext, context=context) if key is not None else ""


async def read(session: AsyncSession, cipher: FieldCipher, model, contact_id: str) -> str:
    context = note_context(contact_id) if model is ContactNote else agency_context(contact_id)
    return await open_row(session, cipher, await session.get(model, contact_id), context)


async def reseal(session: AsyncSession, cipher: FieldCipher, contact_id: str, caller_id: str) -> None:
    """A call linked to a caller after it was recorded: its free text moves under the caller's key, in
    the transaction that links it, so no keyring-sealed copy is written from then on."""
    for model, _ in FREE_TEXT:
        row = await session.get(model, contact_id)
        if not isinstance(row, (ContactNote, ContactAgency)) or row.sealed_by == caller_id:
            continue  # none (or already under this caller's key)
        await put(session, cipher, model, contact_id, await read(session, cipher, model, contact_id), caller_id)
