// The donation page, and the gift added to an order in the basket and at checkout: the
// real cost of the gift after the income-tax reduction, live.
document.querySelectorAll("form[data-rate][data-template]").forEach(function (form) {
  "use strict";
  const output = form.querySelector(".js-tax-cost");
  const rate = Number(form.dataset.rate);
  // The bounds of an online gift (the server's KIOSQUE_DONATION_MIN and _MAX): the box
  // follows a valid amount only, never one the form is about to refuse.
  const low = Number(form.dataset.min);
  const high = Number(form.dataset.max);
  const lang = document.documentElement.lang || "fr";
  // Like the server's donations.amounts.euros: "34", "17,50".
  const euros = (value) =>
    new Intl.NumberFormat(lang, {
      minimumFractionDigits: Number.isInteger(value) ? 0 : 2,
      maximumFractionDigits: 2,
    }).format(value);
  const other = form.elements.other_amount;

  function chosenAmount() {
    const choice = form.querySelector("input[name=amount]:checked");
    if (!choice) {
      return NaN;
    }
    if (choice.value !== "other") {
      return Number(choice.value);
    }
    const text = other.value.replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
    return /^\d+(\.\d{1,2})?$/.test(text) ? Number(text) : NaN;
  }

  function update() {
    const amount = chosenAmount();
    if (!(amount > 0 && amount >= low && amount <= high)) {
      output.hidden = true;
      output.textContent = "";
      return;
    }
    const cost = Math.round(amount * (1 - rate) * 100) / 100;
    output.textContent = form.dataset.template
      .replace("%(amount)s", euros(amount))
      .replace("%(cost)s", euros(cost));
    output.hidden = false;
  }

  other.addEventListener("focus", () => {
    form.querySelector("input[name=amount][value=other]").checked = true;
    update();
  });
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
});
