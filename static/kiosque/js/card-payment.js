// Card or SEPA direct-debit payment on the payment pages (see payments/flow.py for the flow).
(function () {
  "use strict";
  const form = document.getElementById("card-payment");
  if (!form) {
    return;
  }
  const messages = JSON.parse(document.getElementById("card-messages").textContent);
  const errors = document.getElementById("card-errors");
  const progress = document.getElementById("card-progress");
  const button = document.getElementById("pay-button");
  const stripe = Stripe(form.dataset.publishableKey, { locale: form.dataset.locale });
  const card = stripe.elements({ locale: form.dataset.locale }).create("card", {
    hidePostalCode: true,
  });
  card.mount("#card-element");

  // SEPA direct debit, where the page offers it: Stripe's IBAN element with real Stripe; the
  // stand-in's Stripe.js has none, so the demo's IBAN is a plain input.
  const sepaFields = document.getElementById("sepa-fields");
  const holder = document.getElementById("sepa-holder");
  let iban = null;
  if (sepaFields && form.dataset.plainIban !== "true") {
    iban = stripe.elements({ locale: form.dataset.locale }).create("iban", {
      supportedCountries: ["SEPA"],
      placeholderCountry: "FR",
    });
    iban.mount("#sepa-iban");
  }

  function chosenMethod() {
    const checked = form.querySelector('input[name="method"]:checked');
    return checked ? checked.value : "card";
  }

  form.querySelectorAll('input[name="method"]').forEach((radio) => {
    radio.addEventListener("change", () => {
      const sepa = chosenMethod() === "sepa_debit";
      sepaFields.hidden = !sepa;
      document.getElementById("card-fields").hidden = sepa;
    });
  });

  function sepaDebit() {
    if (iban) {
      return iban;
    }
    return { iban: document.getElementById("sepa-iban").value.replace(/\s+/g, "").toUpperCase() };
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function busy(on) {
    button.disabled = on;
    progress.hidden = !on;
    if (on) {
      errors.hidden = true;
    }
  }

  function fail(message) {
    busy(false);
    errors.textContent = message || messages.declined;
    errors.hidden = false;
  }

  function messageFor(error) {
    if (!error) {
      return messages.declined;
    }
    // Stripe.js writes its own form-checking messages in the page's language.
    if (error.type === "validation_error" && error.message) {
      return error.message;
    }
    return messages.codes[error.decline_code] || messages.codes[error.code] || messages.declined;
  }

  async function post(url, data) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
      body: new URLSearchParams(data || {}),
    });
    if (response.redirected) {
      // A checkout step is missing (e.g. the basket changed): Oscar sends the reader there.
      window.location.assign(response.url);
      return new Promise(() => {});
    }
    return response.json();
  }

  async function settle(outcome) {
    for (let attempt = 0; attempt < 60; attempt += 1) {
      if (outcome.redirect) {
        window.location.assign(outcome.redirect);
        return;
      }
      if (outcome.error) {
        fail(outcome.error);
        return;
      }
      if (outcome.requires_action) {
        // 3-D Secure; whatever the result, the server asks Stripe what came of it.
        await stripe.confirmCardPayment(outcome.client_secret);
      } else {
        await sleep(2000); // the bank is still processing
      }
      outcome = await post(form.dataset.completeUrl);
    }
    fail(messages.unavailable);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const method = chosenMethod();
    if (method === "sepa_debit" && !holder.value.trim()) {
      fail(messages.holder_missing);
      holder.focus();
      return;
    }
    busy(true);
    try {
      const setup = await post(form.dataset.setupUrl, { method: method });
      if (setup.redirect) {
        // Nothing left to pay here (the gift was paid, the page came from the cache).
        window.location.assign(setup.redirect);
        return;
      }
      if (setup.error) {
        fail(setup.error);
        return;
      }
      if (setup.card_token) {
        // A one-off payment: the card becomes a token, which the server charges at once;
        // a 3-D Secure card is challenged once, when that payment asks for it (settle).
        const result = await stripe.createToken(card);
        if (result.error || !result.token) {
          fail(messageFor(result.error));
          return;
        }
        await settle(await post(form.dataset.payUrl, { token: result.token.id }));
        return;
      }
      if (method === "sepa_debit") {
        // The mandate: the IBAN and the holder's name, under the text shown above the button.
        const result = await stripe.confirmSepaDebitSetup(setup.client_secret, {
          payment_method: {
            sepa_debit: sepaDebit(),
            billing_details: { name: holder.value.trim(), email: form.dataset.email },
          },
        });
        if (result.error || !result.setupIntent) {
          const own = result.error && result.error.type === "validation_error";
          fail(own ? result.error.message : messages.iban_invalid);
          return;
        }
        await settle(await post(form.dataset.payUrl, { setup_intent: result.setupIntent.id }));
        return;
      }
      // A card kept for later payments (a monthly gift): set up, and authenticated, first.
      const result = await stripe.confirmCardSetup(setup.client_secret, {
        payment_method: { card: card, billing_details: { email: form.dataset.email } },
      });
      if (result.error) {
        fail(messageFor(result.error));
        return;
      }
      await settle(await post(form.dataset.payUrl, { setup_intent: result.setupIntent.id }));
    } catch (error) {
      fail(messages.unavailable);
    }
  });
})();
