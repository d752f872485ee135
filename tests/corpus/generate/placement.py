"""Where a value sits in a sentence: customer-support templates, the
wrappers a value arrives in (quotes, markdown, literal escape sequences,
mailto:/tel:), and the obfuscations (full-width digits, zero-width
characters). Shared by pii_prompts.py and prose_negatives.py."""

# Templates with one slot {v}. {ctx} templates carry a phone context word
# ("call me at", "my phone is"): national-format numbers only appear there.
PLAIN = [
    "{v}",
    "{v} is what I have on file.",
    "{v} - please update my account with this.",
    "Hi, my details are {v}, can you check my order?",
    "Please send the invoice to {v} and not to my old one.",
    "I tried to log in with {v} but it says the account is locked.",
    "Can you confirm that {v} is correct?",
    "The customer gave us {v} yesterday.",
    "Why was {v} rejected at checkout?",
    "Ticket #4821: user reports a problem with {v} since Monday.",
    "Hello support team, I am writing about {v}. Thanks in advance!",
    "As discussed on the phone, here it is: {v}",
    "Please use this one: {v}",
    "Here you go: {v}",
    "Details: {v}",
    "Account info:{v}",
    "Ref. {v}",
    "Re: refund request ({v})",
    "My old one was {v}; please delete it from your records.",
    "Could you remove {v} from the mailing list?",
    "\"{v}\"",
    "'{v}'",
    "The form says \"{v}\" is invalid, why?",
    "I typed '{v}' into the box and nothing happened.",
    "**{v}**",
    "Contact: **{v}**",
    "`{v}`",
    "Run it with `{v}` as the value.",
    "<b>{v}</b>",
    "<td>{v}</td>",
    "- {v}\n- next item",
    "* {v}",
    "1. {v}",
    "> {v}",
    "| name | value |\n|---|---|\n| Jane | {v} |",
    "{{\"customer\": \"Jane Doe\", \"value\": \"{v}\"}}",
    "customer=jane;value={v};status=open",
    "Jane Doe,{v},2024-03-01,open",
    "Jane Doe\t{v}\topen",
    "value:\\n{v}",
    "Details:\\n{v}\\nThanks",
    "\\t{v}\\t",
    "{{\\\"value\\\":\\\"{v}\\\"}}",
    "line one\\r\\n{v}\\r\\n",
    "(see {v})",
    "[{v}]",
    "<{v}>",
    "{v}.",
    "{v}!",
    "{v}?",
    "Is {v} still valid?",
    "Bonjour, voici mes informations : {v}. Merci !",
    "Hallo, meine Daten: {v}. Danke!",
    "Hola, mis datos son {v}, gracias.",
    "Ciao, ecco i miei dati: {v}.",
    "Olá, meus dados são {v}, obrigado.",
    "こんにちは、{v} です。よろしくお願いします。",
]

EMAIL_ONLY = [
    "mailto:{v}",
    "<a href=\"mailto:{v}\">write to us</a>",
    "[email me](mailto:{v})",
    "Email:\\n{v}",
    "From: Jane Doe <{v}>",
    "Reply-To: {v}",
    "You can reach me by email at {v} anytime.",
    "My email is {v}",
    "E-mail: {v}",
]

PHONE_CTX = [
    "Call me at {v} after 5pm.",
    "My phone is {v}.",
    "my phone number is {v}, text me when it ships",
    "Phone: {v}",
    "Phone:\\n{v}",
    "Tel: {v}",
    "tel. {v}",
    "Mobile: {v}",
    "You can reach me on {v} during office hours.",
    "Please call {v} to confirm the delivery.",
    "Contact number: {v}",
    "Phone number:\\t{v}",
    "Telefon: {v}",
    "Téléphone : {v}",
    "Teléfono: {v}",
    "電話番号: {v}",
    "whatsapp me on {v}",
    "Cell: **{v}**",
    "Ring me on {v} please.",
    "{{\"name\": \"Jane\", \"phone\": \"{v}\"}}",
    "{v} is my mobile, text me anytime.",
    "Best to try {v} (cell) after lunch.",
    "Try {v} – our office landline.",
]

PHONE_LINK = [
    "tel:{v}",
    "<a href=\"tel:{v}\">call us</a>",
    "[call](tel:{v})",
]

CARD_CTX = [
    "My card number is {v}, expiry 09/27.",
    "Card: {v}",
    "Please charge {v} for the renewal.",
    "The payment with card {v} failed twice.",
    "credit card {v} exp 11/26 cvv 123",
    "Visa/Mastercard/Amex: {v}",
    "Kartennummer: {v}",
    "Numéro de carte : {v}",
]

# Benign support sentences (no value): the same shapes, for the negatives.
BENIGN_FILLERS = [
    "order 48213",
    "the blue model",
    "my account",
    "invoice INV-2024-0042",
    "the premium plan",
    "version 3.2.1",
    "ticket #77120",
    "the March statement",
    "room 214",
    "size 42",
    "the 2 pm slot",
    "SKU AB-1034",
    "item 7 of 12",
    "the Berlin office",
    "flight LH 441",
    "step 3",
]

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


def fullwidth(text, letters=False):
    """Digits (and `@`, `.`, `-`, `+`; letters when asked) as their
    full-width forms U+FF01..U+FF5E."""
    out = []
    for ch in text:
        if ch.isdigit() or ch in "@.-+" or (letters and ch.isascii() and ch.isalpha()):
            out.append(chr(ord(ch) - 0x21 + 0xFF01))
        elif ch == " ":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def zero_width(rng, text, count=None):
    """`text` with zero-width characters (or, rarely, a NUL) put between
    some of its characters, never at the ends."""
    if len(text) < 3:
        return text
    count = count or rng.randint(1, 3)
    cuts = sorted(rng.sample(range(1, len(text)), min(count, len(text) - 1)))
    pieces, last = [], 0
    for cut in cuts:
        pieces.append(text[last:cut])
        pieces.append("\u0000" if rng.random() < 0.1 else rng.choice(ZERO_WIDTH))
        last = cut
    pieces.append(text[last:])
    return "".join(pieces)


def place(rng, value, templates):
    """`value` put into one of `templates`."""
    return rng.choice(templates).replace("{v}", value).replace("{{", "{").replace("}}", "}")
