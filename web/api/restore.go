package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/store"
)

// deletedConfigurations lists the deleted configurations kept (admin).
func (a *api) deletedConfigurations(c *gin.Context) {
	list, err := a.core.Deleted(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	if list == nil {
		list = []store.DeletedConfiguration{}
	}
	c.JSON(http.StatusOK, gin.H{"deleted": list})
}

// restoreConfiguration brings back the most recently deleted
// configuration of the name (admin): 201 with its latest version's ETag;
// 404 when none is kept, 412 when a configuration of that name exists, 422
// when its wards are no longer in the dataset.
func (a *api) restoreConfiguration(c *gin.Context) {
	name := c.Param("name")
	version, err := a.core.Restore(c.Request.Context(), name)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("ETag", etag(name, version))
	c.Header("Location", "/api/configurations/"+name)
	c.JSON(http.StatusCreated, gin.H{"name": name, "version": version})
}
