// The copy-link button: without JavaScript it is a plain link to the page itself.
(function () {
  document.querySelectorAll(".share-copy").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!navigator.clipboard) return; // an old browser or plain http: the link still works
      event.preventDefault();
      navigator.clipboard.writeText(link.href).then(function () {
        var status = link.parentNode.querySelector(".share-status");
        if (status) status.textContent = link.getAttribute("data-copied");
        link.classList.add("copied");
      }, function () { window.location.href = link.href; });
    });
  });
})();
